# Sourced by ./tessera and .ci/run: finds a JDK 21 or newer and sets JAVA_HOME to it.
# Order: $JAVA_HOME, the java on PATH, then the usual install locations.
tessera_java_major() { # prints the feature version of the JDK at $1
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1
}
tessera_find_jdk() {
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    v="$(tessera_java_major "$c")"
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then JAVA_HOME="$c"; return 0; fi
  done
  echo "tessera: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm). Install one (e.g. 'apt-get install openjdk-21-jdk') or set JAVA_HOME." >&2
  return 1
}
