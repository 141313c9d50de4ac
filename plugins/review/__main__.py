"""``python -m streamkit.plugins.review ACTION``: the review commands without the full CLI."""

import sys

from .cli import main

sys.exit(main())
