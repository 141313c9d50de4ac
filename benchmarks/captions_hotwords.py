"""Product names as hotwords: do they help on product talk, and do they ever pull names into ordinary speech?

Product talk: the broadcast sponsor read of zh-more (spark-tts__prompt_audio: 燕之屋 bird's nest,
豆本豆 soy milk; shared/data, read where it is) with its two products as a catalog, and the spoken
English commands of samples/media/commands with the sample catalog. Ordinary speech: every other
zh-more clip, the AISHELL clip and the LibriVox sentences with both catalogs' names and aliases as
hotwords (what a selling session sends the model). Each stream is captioned with and without the
hotwords through the live path on a simulated clock (the same schedule of passes both times, so the
difference is the hotwords'): CER/WER, how many catalog names said in the reference come out
right, and how many appear in captions though nobody said them (must be 0).

    python benchmarks/captions_hotwords.py
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from captions_replay import RESULTS, REPO, SPEECH, Errors, errors, replay, units  # noqa: E402

SPONSOR_CLIP = "spark-tts__prompt_audio"
#: the sponsor read's products, as a seller would list them: name, aliases
SPONSOR_CATALOG = {"燕之屋燕窝": ["燕之屋", "燕窝"], "豆本豆豆奶": ["豆本豆", "豆奶"]}


def sample_catalog_words() -> list[str]:
    from streamkit.plugins.products.catalog import load_catalog

    return load_catalog(REPO / "samples" / "catalog.csv").hotwords()


def sponsor_words() -> list[str]:
    return [w for name, aliases in SPONSOR_CATALOG.items() for w in (name, *aliases)]


def name_counts(text: str, names: list[str], language: str) -> dict[str, int]:
    """How often each name occurs in ``text`` (compared normalised; a longer name hides its parts)."""
    flat = "".join(units(text, language)) if language == "zh" else " " + " ".join(units(text, language)) + " "
    counts: dict[str, int] = {}
    for name in sorted(names, key=len, reverse=True):
        key = "".join(units(name, language)) if language == "zh" else " " + " ".join(units(name, language)) + " "
        if not key.strip():
            continue
        n = flat.count(key)
        counts[name] = n
        flat = flat.replace(key, " | ")
    return counts


def streams() -> tuple[list[tuple[str, Path, str, str]], list[tuple[str, Path, str, str]]]:
    """(product talk, ordinary speech): (name, wav, reference, language) each."""
    from streamkit.testing.data import speech_clips, zh_more_clips

    zh = zh_more_clips()
    product = [(c.name, c.wav, c.reference, "zh") for c in zh if c.name == SPONSOR_CLIP]
    commands = REPO / "samples" / "media" / "commands"
    spoken = {"show-me-the-thermos": "Show me the thermos.", "show-product-three": "Show product three.",
              "next-product": "Next product.", "hide-the-card": "Hide the card."}
    product += [(n, commands / f"{n}.wav", text, "en") for n, text in spoken.items()]
    ordinary = [(c.name, c.wav, c.reference, "zh") for c in [*zh, *speech_clips(SPEECH / "zh")] if c.name != SPONSOR_CLIP]
    ordinary += [(c.name, c.wav, c.reference, "en") for c in speech_clips(SPEECH / "en")]
    return product, ordinary


def run_set(decoder: Any, items: list[tuple[str, Path, str, str]], hotwords: list[str], names: list[str]) -> dict[str, Any]:
    total: dict[str, Errors] = {"zh": Errors(), "en": Errors()}
    said = right = invented = 0
    rows = []
    for name, wav, reference, language in items:
        words = [w for w in hotwords if language == "zh" or w.isascii()]
        text = replay(decoder, wav, language, clock="simulated", options={"hotwords": tuple(words)}).text()
        err = errors(reference, text, language)
        total[language] = total[language] + err
        ref_names, out_names = name_counts(reference, names, language), name_counts(text, names, language)
        said += sum(ref_names.values())
        right += sum(min(ref_names[n], out_names[n]) for n in ref_names)
        invented += sum(max(0, out_names[n] - ref_names[n]) for n in out_names)
        rows.append({"name": name, "error_rate": round(err.rate, 4), "text": text,
                     "names_invented": {n: out_names[n] - ref_names[n] for n in out_names if out_names[n] > ref_names[n]}})
    return {"cer": round(total["zh"].rate, 4), "wer": round(total["en"].rate, 4), "names_said": said,
            "names_right": right, "names_invented": invented, "streams": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="base")
    parser.add_argument("--out", type=Path, default=RESULTS / "captions_hotwords.json")
    args = parser.parse_args(argv)

    from streamkit.plugins.captions.decoder import WhisperDecoder

    started = time.monotonic()
    decoder = WhisperDecoder(args.model)
    product, ordinary = streams()
    names = sponsor_words() + sample_catalog_words()
    result: dict[str, Any] = {"model": args.model, "clock": "simulated", "hotwords": names, "cpu_count": os.cpu_count()}
    for label, items, hotwords in (("product_talk", product, names), ("ordinary_speech", ordinary, names)):
        result[label] = {"without": run_set(decoder, items, [], names), "with": run_set(decoder, items, hotwords, names)}
    result["wall_seconds"] = round(time.monotonic() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"hotwords ({len(names)} catalog names and aliases), simulated clock:")
    for label in ("product_talk", "ordinary_speech"):
        for mode in ("without", "with"):
            r = result[label][mode]
            print(f"  {label:16s} {mode:8s} CER {100 * r['cer']:5.1f} %  WER {100 * r['wer']:5.1f} %  "
                  f"names right {r['names_right']}/{r['names_said']}  names nobody said {r['names_invented']}")
    print(f"wrote {args.out} ({result['wall_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
