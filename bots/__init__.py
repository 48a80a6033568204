"""The only code that talks to a wiki (through pywikibot)."""
