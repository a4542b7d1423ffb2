#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (the Lambda runtime is java21; the machine default may be older).
# Order: $JAVA_HOME, JDKs under /usr/lib/jvm (21 preferred, as it matches the runtime, then the newest),
# the java on PATH. Fails with what is missing when none qualifies.
set -euo pipefail

major() { # JAVA_HOME -> major version, or nothing
  local v
  # The JDK's own release file answers without starting a JVM (this runs on every make invocation).
  if [[ -r "$1/release" ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release")
    if [[ -n "$v" ]]; then echo "${v#1.}"; return 0; fi
  fi
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}') || return 0
  v=${v#1.}
  echo "${v%%.*}"
}

candidates=()
[[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
for d in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
  [[ -x "$d/bin/javac" ]] && candidates+=("$d")
done
if command -v javac >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
fi

best=""; best_major=0
for home in "${candidates[@]}"; do
  [[ -x "$home/bin/javac" ]] || continue
  m=$(major "$home"); [[ -n "$m" ]] || continue
  (( m >= 21 )) || continue
  if (( m == 21 )); then best="$home"; best_major=21; break; fi
  if (( m > best_major )); then best="$home"; best_major=$m; fi
done

if [[ -z "$best" ]]; then
  echo "atrest needs a JDK >= 21 (javac included); found none in \$JAVA_HOME, /usr/lib/jvm or PATH." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin 21+) or set JAVA_HOME to it." >&2
  exit 1
fi
echo "$best"
