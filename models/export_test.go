package models

// Unexported types made visible to this package's external tests (compiled
// only with the tests).
type (
	ThrottleRow      = throttle
	ClientHashKeyRow = clientHashKey
	SetupTokenRow    = setupToken
	SubmitTokenRow   = submitToken
)
