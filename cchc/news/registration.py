def register():
    """Filled in below (menu, public menu, blocks, sitemap, output source, stats)."""
