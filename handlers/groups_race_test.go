//go:build race

package handlers

// The race detector slows the pure-Go SQLite about tenfold; under it the
// payload test shares the list between the two databases (see
// grpPayloadShare) instead of running all of it on each.
func init() { grpRaceBuild = true }
