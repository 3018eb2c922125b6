package main

import "runtime/debug"

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT
// is not set. Signing in hashes with argon2id in 19 MiB per attempt; with
// the collector's default pacing, a burst of sign-ins left the heap at
// several times what was live. The limit makes the collector work sooner
// instead, on the small servers Hearth is meant for. GOMEMLIMIT (e.g.
// "250MiB", or "off") overrides it.
const defaultMemoryLimit = 100 << 20

// limitMemory sets the soft memory limit unless GOMEMLIMIT is set.
func limitMemory(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}

// settleMemory returns to the operating system what starting up used and no
// longer needs (the dummy password hash, parsing templates, locale files
// and phone-number metadata), so that an idle server's RSS is what it keeps.
func settleMemory() {
	debug.FreeOSMemory()
}
