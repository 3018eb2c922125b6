package handlers

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy forbids inline script and style and everything from
// other hosts: member content can never run or make a reader's browser call
// out. ASVS 3.4.3, 3.4.6, 3.6.1.
const contentSecurityPolicy = "default-src 'self'; object-src 'none'; base-uri 'none'; " +
	"frame-ancestors 'none'; form-action 'self'"

// securityHeaders sets the headers every response carries. Echo's Secure
// middleware is not used: it sends "X-XSS-Protection: 1; mode=block", which
// modern guidance says to leave out, and it has no CSP default.
func (a *App) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	https := a.cfg.HTTPS()
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if https {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// noStore marks private pages so that a shared device's cache keeps nothing
// of them. ASVS 14.3.2.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// crossOrigin is the first layer against cross-site requests: Go's
// http.CrossOriginProtection refuses unsafe requests whose Sec-Fetch-Site or
// Origin shows another site. Session-bound tokens (csrf.go) are the second.
func crossOrigin() echo.MiddlewareFunc {
	protection := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := protection.Check(c.Request()); err != nil {
				return &echo.HTTPError{Code: http.StatusForbidden, Message: "csrf", Internal: err}
			}
			return next(c)
		}
	}
}

// accessLog writes one line per request: method, route pattern, status,
// duration and request ID — never the client's address, the query string or
// form values (ASVS 16.2.5; PRODUCT: no IP addresses).
func (a *App) accessLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod:    true,
		LogRoutePath: true,
		LogStatus:    true,
		LogLatency:   true,
		LogRequestID: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			a.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("method", v.Method),
				slog.String("route", v.RoutePath),
				slog.Int("status", v.Status),
				slog.Duration("duration", v.Latency),
				slog.String("request_id", v.RequestID))
			return nil
		},
	})
}

// recoverPanics turns a panic into a 500 page; the stack goes to the log with
// the request ID, never to the client.
func (a *App) recoverPanics() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		StackSize: 8 << 10,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			a.log.Error("panic", "request_id", requestID(c), "error", err.Error(), "stack", string(stack))
			return &echo.HTTPError{Code: http.StatusInternalServerError, Internal: fmt.Errorf("panic: %w", err)}
		},
	})
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// ipExtractor reads the client address directly from the connection unless
// trusted proxies are configured; then X-Forwarded-For is believed only from
// them. Echo's XFF extractor trusts loopback, link-local and private ranges by
// default, so those defaults are switched off explicitly. The address is used
// only to form a keyed hash for throttling: it is never stored or logged.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	options := []echo.TrustOption{
		echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false),
	}
	for _, prefix := range trusted {
		_, ipNet, err := net.ParseCIDR(prefix.Masked().String())
		if err == nil {
			options = append(options, echo.TrustIPRange(ipNet))
		}
	}
	return echo.ExtractIPFromXFFHeader(options...)
}
