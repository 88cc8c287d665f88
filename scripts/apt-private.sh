# Sourced by the scripts that fetch Debian packages for the guest
# (scripts/linux/fetch.sh, scripts/fetch-source.sh): apt with a private
# configuration under $apt — its own sources list (the caller writes
# $apt/etc/sources.list), state, lists and cache, and an empty dpkg status
# — so the host's apt and dpkg are untouched and no root is needed.  The
# mirror is the one the host's apt already uses, read from its
# configuration.
#
#   apt=DIR; . scripts/apt-private.sh    # sets $mirror, $keyring, $APT_OPTS
# (who=NAME names the caller in error messages)
mkdir -p "$apt/etc/preferences.d" "$apt/etc/sources.list.d" "$apt/state/lists/partial" \
         "$apt/cache/archives/partial"
apt_abs=$(cd "$apt" && pwd)

# The host's Debian mirror: the URI of its main archive (not -security).
mirror=$(apt-get indextargets --format '$(ORIGIN) $(REPO_URI)' 2>/dev/null |
         awk '$1 == "Debian" && $2 !~ /security/ { print $2; exit }')
if [ -z "$mirror" ]; then
    mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1)
fi
[ -n "$mirror" ] || { echo "${who:-apt}: cannot find a Debian mirror in this machine's apt configuration" >&2; exit 1; }

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
: > "$apt/state/status"
# Every option that would otherwise point at the host's apt state.
APT_OPTS="-q -o Dir::Etc::SourceList=$apt_abs/etc/sources.list
 -o Dir::Etc::SourceParts=$apt_abs/etc/sources.list.d
 -o Dir::Etc::Preferences=$apt_abs/etc/preferences
 -o Dir::Etc::PreferencesParts=$apt_abs/etc/preferences.d
 -o Dir::State=$apt_abs/state -o Dir::State::Lists=$apt_abs/state/lists
 -o Dir::State::status=$apt_abs/state/status
 -o Dir::Cache=$apt_abs/cache -o Dir::Cache::Archives=$apt_abs/cache/archives
 -o Debug::NoLocking=true -o APT::Sandbox::User=root"
