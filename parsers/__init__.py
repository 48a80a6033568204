"""Pure wikitext analysis: no pywikibot, no I/O, never raises on bad wikitext."""
