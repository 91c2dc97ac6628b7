# Shared by scripts/demo, scripts/test and .ci/run (sourced, not run).
# Creates .venv with Python 3.11 and installs Trede with the given extras, once per
# change of pyproject.toml, so a second run starts at once.

trede_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "Trede heeft Python 3.11 nodig (niet gevonden als python3.11 of python3)." >&2
  return 1
}

ensure_venv() {
  local extras="$1"
  local venv="$trede_root/.venv"
  local stamp="$venv/.installed-$extras"
  if [ ! -x "$venv/bin/python" ]; then
    "$(find_python)" -m venv "$venv"
  fi
  if [ ! -f "$stamp" ] || [ "$trede_root/pyproject.toml" -nt "$stamp" ]; then
    echo "Trede installeren in $venv ..." >&2
    "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
    if [ -n "$extras" ]; then
      "$venv/bin/python" -m pip install --quiet -e "$trede_root[$extras]" >&2
    else
      "$venv/bin/python" -m pip install --quiet -e "$trede_root" >&2
    fi
    touch "$stamp"
  fi
  export PATH="$venv/bin:$PATH"
}

# The PDF of the council report and of letters (WeasyPrint) needs Pango, HarfBuzz and a
# font; the tests read the letters back with pdftotext (poppler-utils).
TREDE_PDF_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core poppler-utils"

ensure_pdf_libraries() {
  if /sbin/ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" && [ -d /usr/share/fonts/truetype/dejavu ] \
    && command -v pdftotext >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Pango en lettertypen installeren (Debian-pakketten) voor de PDF-rapportages ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $TREDE_PDF_PACKAGES >/dev/null
  else
    echo "Let op: installeer de pakketten $TREDE_PDF_PACKAGES voor de PDF-rapportages." >&2
  fi
}

ensure_chromium() {
  # Browser tests drive Debian's Chromium; never a downloaded browser.
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Chromium installeren (Debian-pakket) voor de browsertests ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Let op: /usr/bin/chromium ontbreekt; installeer het pakket 'chromium' voor de browsertests." >&2
  fi
}
