"""Project format modules; settings point FORMAT_MODULE_PATH here."""
