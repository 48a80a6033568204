#!/usr/bin/env python3
"""Regenerate ``parsers/data/languages.json`` from MediaWiki's own language files.

Why a generated table: the thread parser must recognise signatures written by
any Wikimedia wiki (month names incl. genitive forms, the wiki language's
date format, its digits, the localised ``User:``/``Special:`` names), but it
must not depend on a MediaWiki installation at run time.  MediaWiki ships all
of that in ``languages/messages/Messages*.php`` (PHP arrays: date formats,
digit tables, namespace names and aliases, special-page aliases, fallback
chains) and ``languages/i18n/*.json`` (month and weekday names, the
localised "UTC").  The PHP files are evaluated with ``php`` itself (no PHP
parsing in Python), then fallback chains are resolved here, so the table
holds final values per language.

Wikimedia wikis rename and alias the user namespaces beyond what core ships
(plwiki's ``Wikipedysta:``, ckbwiki's ``U:``/``UT:``), in the cluster
configuration (operations/mediawiki-config: ``wgExtraNamespaces``,
``wgNamespaceAliases`` in ``wmf-config/core-Namespaces.php`` and
``wgExtraGenderNamespaces``, ``wgLanguageCode`` in
``wmf-config/InitialiseSettings.php``).  Given ``--wmf-config`` (a checkout
of that repository), the user and user-talk names of every Wikimedia wiki
are added to its content language, so ``--lang pl`` knows what any Polish
Wikimedia wiki writes in a signature.

Usage: tools/gen_langdata.py [--mediawiki /usr/share/mediawiki] [--wmf-config DIR]
                             [--out parsers/data/languages.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from parsers.timestamps import LANG_ALIASES  # noqa: E402  (Wikimedia's renamed language codes)

PHP_DUMP = r"""
<?php
foreach ([
  'NS_MEDIA' => -2, 'NS_SPECIAL' => -1, 'NS_MAIN' => 0, 'NS_TALK' => 1, 'NS_USER' => 2,
  'NS_USER_TALK' => 3, 'NS_PROJECT' => 4, 'NS_PROJECT_TALK' => 5, 'NS_FILE' => 6,
  'NS_FILE_TALK' => 7, 'NS_MEDIAWIKI' => 8, 'NS_MEDIAWIKI_TALK' => 9, 'NS_TEMPLATE' => 10,
  'NS_TEMPLATE_TALK' => 11, 'NS_HELP' => 12, 'NS_HELP_TALK' => 13, 'NS_CATEGORY' => 14,
  'NS_CATEGORY_TALK' => 15, 'NS_IMAGE' => 6, 'NS_IMAGE_TALK' => 7,
] as $k => $v) { define($k, $v); }
function load_one($path) {
  include $path;
  $out = [];
  foreach (['fallback', 'namespaceNames', 'namespaceAliases', 'namespaceGenderAliases',
            'dateFormats', 'defaultDateFormat', 'digitTransformTable', 'specialPageAliases']
           as $name) {
    if (isset($$name)) { $out[$name] = $$name; }
  }
  if (isset($out['specialPageAliases'])) {
    $out['specialPageAliases'] = $out['specialPageAliases']['Contributions'] ?? [];
  }
  return $out;
}
$all = [];
foreach (glob($argv[1] . '/Messages*.php') as $path) {
  $code = strtolower(str_replace('_', '-', substr(basename($path, '.php'), 8)));
  $all[$code] = load_one($path);
}
echo json_encode($all, JSON_UNESCAPED_UNICODE);
"""

# Reads the cluster configuration: core-Namespaces.php whole, and from
# InitialiseSettings.php (which needs the whole of MediaWiki to load) only the
# two top-level settings needed, cut out by their ``'name' => [ ... ],`` block.
WMF_DUMP = r"""
<?php
foreach (['NS_SPECIAL' => -1, 'NS_MAIN' => 0, 'NS_TALK' => 1, 'NS_USER' => 2, 'NS_USER_TALK' => 3,
  'NS_PROJECT' => 4, 'NS_PROJECT_TALK' => 5, 'NS_FILE' => 6, 'NS_FILE_TALK' => 7, 'NS_MEDIAWIKI' => 8,
  'NS_MEDIAWIKI_TALK' => 9, 'NS_TEMPLATE' => 10, 'NS_TEMPLATE_TALK' => 11, 'NS_HELP' => 12,
  'NS_HELP_TALK' => 13, 'NS_CATEGORY' => 14, 'NS_CATEGORY_TALK' => 15, 'NS_IMAGE' => 6,
  'NS_IMAGE_TALK' => 7, 'NS_MEDIA' => -2] as $k => $v) { define($k, $v); }
$ns = include $argv[1] . '/wmf-config/core-Namespaces.php';
$src = file_get_contents($argv[1] . '/wmf-config/InitialiseSettings.php');
function block($src, $key) {
  if (!preg_match("/^'" . $key . "' => \\[\n(.*?)^\\],/ms", $src, $m)) { return []; }
  return eval("return [\n" . $m[1] . "];");
}
echo json_encode(['aliases' => $ns['wgNamespaceAliases'] ?? [], 'extra' => $ns['wgExtraNamespaces'] ?? [],
  'gender' => block($src, 'wgExtraGenderNamespaces'), 'language' => block($src, 'wgLanguageCode')],
  JSON_UNESCAPED_UNICODE);
"""
WMF_FAMILIES = ("wiktionary", "wikibooks", "wikinews", "wikiquote", "wikisource", "wikiversity",
                "wikivoyage", "wiki")

MONTHS = ["january", "february", "march", "april", "may_long", "june", "july", "august",
          "september", "october", "november", "december"]
MONTHS_GEN = [m.replace("_long", "") + "-gen" for m in MONTHS]
MONTHS_ABBR = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
DAYS_ABBR = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
# Languages whose wikis show text in several scripts (LanguageConverter):
# signatures may be rendered in any of them.
VARIANTS = {"sr": ["sr-ec", "sr-el"], "zh": ["zh-hans", "zh-hant"], "kk": ["kk-cyrl", "kk-latn"],
            "ku": ["ku-latn", "ku-arab"], "sh": ["sh-latn", "sh-cyrl"], "tg": ["tg-cyrl", "tg-latn"],
            "uz": ["uz-latn", "uz-cyrl"], "crh": ["crh-latn", "crh-cyrl"], "ike": ["ike-cans", "ike-latn"]}


def chain(code: str, php: dict[str, dict]) -> list[str]:
    """The language, its fallbacks (depth first, as MediaWiki does), then English."""
    out: list[str] = []
    todo = [code]
    while todo:
        c = todo.pop(0)
        if c in out:
            continue
        out.append(c)
        fb = php.get(c, {}).get("fallback") or ""
        fb = fb if isinstance(fb, str) else ""
        todo.extend(x.strip() for x in fb.split(",") if x.strip())
    if "en" not in out:
        out.append("en")
    return out


def first(values: list) -> object:
    return next((v for v in values if v), None)


def resolve(code: str, php: dict[str, dict], i18n: dict[str, dict]) -> dict:
    langs = chain(code, php)

    def msg(key: str) -> str:
        return str(first([i18n.get(c, {}).get(key) for c in langs]) or "")

    def msgs_all(key: str) -> list[str]:
        """A name in every script of the language (variants first wins order)."""
        vals = [msg(key)]
        for v in VARIANTS.get(code, []):
            vals.append(str(first([i18n.get(c, {}).get(key) for c in chain(v, php)]) or ""))
        return sorted({x for x in vals if x}, key=vals.index)

    df_key = first([php.get(c, {}).get("defaultDateFormat") for c in langs]) or "dmy"
    if df_key == "dmy or mdy":
        df_key = "dmy"
    date_format = None
    for c in langs:
        formats = php.get(c, {}).get("dateFormats") or {}
        date_format = formats.get(f"{df_key} both")
        if date_format:
            break
    names: dict[str, list[str]] = {"user": [], "user_talk": [], "special": []}
    keys = {2: "user", 3: "user_talk", -1: "special"}
    contributions: list[str] = []
    for c in langs + [x for v in VARIANTS.get(code, []) for x in chain(v, php)]:
        data = php.get(c, {})
        ns_names = data.get("namespaceNames") or {}
        if isinstance(ns_names, list):
            ns_names = dict(enumerate(ns_names))
        for ns, name in ns_names.items():
            if int(ns) in keys:
                names[keys[int(ns)]].append(name)
        for name, ns in (data.get("namespaceAliases") or {}).items():
            if isinstance(ns, int) and ns in keys:
                names[keys[ns]].append(name)
        for ns, genders in (data.get("namespaceGenderAliases") or {}).items():
            if int(ns) in keys:
                names[keys[int(ns)]].extend(genders.values())
        contributions.extend(data.get("specialPageAliases") or [])
    digits_table = first([php.get(c, {}).get("digitTransformTable") for c in langs]) or {}
    if isinstance(digits_table, list):  # PHP arrays keyed 0..9 encode as JSON lists
        digits_table = dict(enumerate(digits_table))
    digits = "".join(str(digits_table.get(d, digits_table.get(str(d), ""))) for d in range(10))
    return {
        "date_format": date_format or "H:i, j F Y",
        "months": [msgs_all(k) for k in MONTHS],
        "months_gen": [msgs_all(k) for k in MONTHS_GEN],
        "months_abbr": [msgs_all(k) for k in MONTHS_ABBR],
        "days": [msgs_all(k) for k in DAYS],
        "days_abbr": [msgs_all(k) for k in DAYS_ABBR],
        "utc": msgs_all("timezone-utc"),
        "digits": digits if len(digits) == 10 else "",
        "namespaces": {k: sorted({n.replace("_", " ") for n in v}) for k, v in names.items()},
        "contributions": sorted({n.replace("_", " ") for n in contributions}),
    }


def wiki_language(db: str, codes: dict[str, str], known: set[str]) -> str | None:
    """The content language of a language edition ("plwiktionary" -> "pl", "nowiki" -> "nb").

    Only wikis whose database name starts with a language code count: the
    others (meta, commons, test, beta, committees, chapters) are multilingual
    or private, and their aliases would leak into every language.
    """
    db = db.lstrip("+")
    family = next((f for f in WMF_FAMILIES if db.endswith(f) and len(db) > len(f)), None)
    if family is None:
        return None
    prefix = db[: -len(family)].replace("_", "-")
    if prefix not in known and prefix not in LANG_ALIASES:
        return None
    code = codes.get(db, LANG_ALIASES.get(prefix, prefix))
    return code if code in known else None


def wikimedia_user_names(wmf: Path, known: set[str]) -> dict[str, dict[str, set[str]]]:
    """Per language: the user/user-talk names and aliases its Wikimedia wikis configure."""
    proc = subprocess.run(["php", "-r", WMF_DUMP.replace("<?php", ""), "--", str(wmf)],
                          capture_output=True, text=True, check=True)
    conf = json.loads(proc.stdout)
    codes = {k: v for k, v in (conf["language"] or {}).items() if isinstance(v, str)}
    keys = {2: "user", 3: "user_talk"}
    out: dict[str, dict[str, set[str]]] = {}

    def add(db: str, ns: object, name: object) -> None:
        lang = wiki_language(db, codes, known)
        if lang and isinstance(name, str) and str(ns).lstrip("-").isdigit() and int(ns) in keys:
            out.setdefault(lang, {"user": set(), "user_talk": set()})[keys[int(ns)]].add(name.replace("_", " "))

    for db, names in (conf["extra"] or {}).items():
        for ns, name in (names.items() if isinstance(names, dict) else enumerate(names)):
            add(db, ns, name)
    for db, aliases in (conf["aliases"] or {}).items():
        for name, ns in (aliases.items() if isinstance(aliases, dict) else ()):
            add(db, ns, name)
    for db, genders in (conf["gender"] or {}).items():
        for ns, forms in (genders.items() if isinstance(genders, dict) else enumerate(genders)):
            for name in (forms.values() if isinstance(forms, dict) else ()):
                add(db, ns, name)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mediawiki", default="/usr/share/mediawiki")
    ap.add_argument("--wmf-config", help="checkout of Wikimedia's operations/mediawiki-config")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "parsers/data/languages.json"))
    args = ap.parse_args(argv)
    langdir = Path(args.mediawiki) / "languages"
    if not (langdir / "messages").is_dir():
        print(f"no MediaWiki language files under {langdir}", file=sys.stderr)
        return 2
    proc = subprocess.run(["php", "-r", PHP_DUMP.replace("<?php", ""), "--", str(langdir / "messages")],
                          capture_output=True, text=True, check=True)
    php = {k: (v if isinstance(v, dict) else {}) for k, v in json.loads(proc.stdout).items()}
    i18n = {p.stem.lower(): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((langdir / "i18n").glob("*.json"))}
    codes = sorted(set(php) | {c for c in i18n if c != "qqq"})
    table = {code: resolve(code, php, i18n) for code in codes}
    source = "MediaWiki languages/"
    if args.wmf_config:
        for lang, names in wikimedia_user_names(Path(args.wmf_config), set(table)).items():
            for key, values in names.items():
                ns = table[lang]["namespaces"]
                ns[key] = sorted(set(ns[key]) | values)
        source += " and Wikimedia's wmf-config (user namespace names per wiki language)"
    out = Path(args.out)
    out.write_text(json.dumps({"source": f"{source} (generated by tools/gen_langdata.py)",
                               "languages": table}, ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} languages to {out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
