#!/bin/bash
# Entry point of grantbot's Toolforge jobs: `start.sh serve [-v]` or `start.sh run [options]`.
#
# Deploying a new version is `git -C ~/grantbot pull` and restarting the job:
# this script installs the checked-out commit into a venv of its own
# (~/grantbot-venvs/<commit>) the first time it starts on that commit, then
# runs it.  A running job keeps the venv it started with, so an install never
# changes code under a live process; two jobs starting at once take turns on a
# lock (flock), so only one of them installs.  The three newest venvs are kept.
#
# Secrets never live in the repository or in grantbot.toml: the bot password
# comes from a Toolforge envvar named in [wiki] password_env, the ToolsDB
# account from TOOL_TOOLSDB_USER/TOOL_TOOLSDB_PASSWORD or ~/replica.my.cnf.
set -euo pipefail

src="${GRANTBOT_SRC:-$HOME/grantbot}"
venvs="${GRANTBOT_VENVS:-$HOME/grantbot-venvs}"
export PYWIKIBOT_DIR="${PYWIKIBOT_DIR:-$HOME/.pywikibot}"
export GRANTBOT_CONFIG="${GRANTBOT_CONFIG:-$HOME/grantbot.toml}"
say() { echo "start.sh: $*" >&2; }

commit="$(git -C "$src" rev-parse --verify HEAD)" || { say "no git checkout in $src"; exit 2; }
venv="$venvs/$commit"
mkdir -p "$venvs"

install() {
  say "installing grantbot ${commit:0:12} into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086  # options are words on purpose
  "$venv/bin/pip" install -q ${GRANTBOT_PIP_OPTIONS:-} "$src[mysql]"
  touch "$venv/.complete"  # last: a half-built venv is rebuilt next time
  # keep the three newest venvs (a job still running an older one keeps its files open)
  find "$venvs" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' | sort -rn | tail -n +4 |
    cut -d' ' -f2- | while read -r old; do rm -rf "$old"; done
}

if [ ! -e "$venv/.complete" ]; then
  exec 9>"$venvs/.lock"
  flock -w 900 9 || { say "another job held the install lock for 15 minutes"; exit 1; }
  [ -e "$venv/.complete" ] || install  # the other job may have installed it meanwhile
  flock -u 9
  exec 9>&-
fi

# Creates or upgrades the schema once, prints the state URL (password masked)
# and warns when the state is SQLite on NFS.
"$venv/bin/grantbot" db upgrade
exec "$venv/bin/grantbot" "$@"
