"""Built-in streamkit plugins: each registers through the ``streamkit.plugins`` entry-point group."""
