package auth

import "strings"

// uaRule maps a User-Agent substring to a coarse name. Order matters: many
// browsers claim to be others ("Edg/" UAs also say "Chrome/" and "Safari/";
// Android UAs say "Linux"; iPhone UAs say "Mac OS X").
type uaRule struct{ token, name string }

func browserRules() []uaRule {
	return []uaRule{
		{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"}, {"Edge/", "Edge"},
		{"OPR/", "Opera"}, {"Opera", "Opera"},
		{"SamsungBrowser/", "Samsung Internet"},
		{"FxiOS/", "Firefox"}, {"Firefox/", "Firefox"},
		{"CriOS/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
		{"Safari/", "Safari"},
	}
}

func osRules() []uaRule {
	return []uaRule{
		{"Android", "Android"},
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"iPod", "iPod"},
		{"Windows", "Windows"},
		{"CrOS", "ChromeOS"},
		{"Macintosh", "macOS"}, {"Mac OS X", "macOS"},
		{"Linux", "Linux"}, {"X11", "Linux"},
	}
}

func firstMatch(ua string, rules []uaRule) string {
	for _, r := range rules {
		if strings.Contains(ua, r.token) {
			return r.name
		}
	}
	return ""
}

// DeviceLabel turns a User-Agent header into a coarse label for the sessions
// page, such as "Firefox on Android" or "Safari on iPhone": no versions, so it
// identifies nothing beyond what a person needs to recognise a device. It
// returns "Unknown browser" when it recognises no browser.
func DeviceLabel(userAgent string) string {
	browser := firstMatch(userAgent, browserRules())
	system := firstMatch(userAgent, osRules())
	switch {
	case browser == "":
		return "Unknown browser"
	case system == "":
		return browser
	default:
		return browser + " on " + system
	}
}
