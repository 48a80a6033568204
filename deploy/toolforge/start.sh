#!/bin/bash
# Entry point for Toolforge jobs: `start.sh serve` or `start.sh run [options]`.
# Secrets come from Toolforge envvars (`toolforge envvars create GRANTBOT_BOTPASSWORD`),
# never from files in the repository: grantbot.toml names the variable in
# [wiki] password_env, and grantbot hands pywikibot a private 0600 copy at start.
set -euo pipefail
cd "$HOME"
export PYWIKIBOT_DIR="${PYWIKIBOT_DIR:-$HOME/.pywikibot}"
export GRANTBOT_CONFIG="${GRANTBOT_CONFIG:-$HOME/grantbot.toml}"
venv="$HOME/grantbot-venv"
if [ ! -x "$venv/bin/grantbot" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "$HOME/grantbot"
fi
exec "$venv/bin/grantbot" "$@"
