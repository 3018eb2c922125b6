// Package handlers is Hearth's HTTP layer: routes, middleware and one file per
// resource. Handlers are thin: bind a form, validate, call models, render or
// redirect.
package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/internal/config"
	"hearth/internal/i18n"
	"hearth/internal/identify"
	"hearth/internal/markup"
	"hearth/internal/secrets"
)

// Options is everything the HTTP layer needs; main builds it, tests build
// their own with their own database.
type Options struct {
	Config  config.Config
	DB      *gorm.DB
	Box     *secrets.Box
	Catalog *i18n.Catalog
	Logger  *slog.Logger
	// PasswordParams are the argon2id parameters; tests pass cheap ones.
	PasswordParams auth.Params
	// HashWorkers and HashQueue bound the password-hashing pool (defaults:
	// half the cores, at least one, and 8 waiting). Hashing takes a core
	// for tens of milliseconds on purpose; half the cores stay with readers
	// during a burst of sign-ins, and the short line keeps sign-ins from
	// taking the turns readers need (admission.go): a sign-in waits there
	// while it holds a turn.
	HashWorkers, HashQueue int
	// MaxRunning and MaxWaiting bound the requests worked on at once and
	// those waiting for a turn (defaults 32 and 512; admission.go).
	MaxRunning, MaxWaiting int
	// Now is the clock; tests move it to check expiry.
	Now func() time.Time
	// PostsPerMinute is the posting rate limit per member (default 10,
	// ASVS 2.4.1); tests that post a lot raise it.
	PostsPerMinute int
	// PremodFirstPosts is how many first posts of a new member a group
	// without its own setting holds for review. main sets
	// models.DefaultPremodPosts (3); zero (tests) holds none.
	PremodFirstPosts int
}

// App holds the dependencies every handler shares. Handlers are its methods.
type App struct {
	cfg      config.Config
	db       *gorm.DB
	box      *secrets.Box
	catalog  *i18n.Catalog
	log      *slog.Logger
	params   auth.Params
	hashPool *auth.Pool
	// admission bounds the requests worked on at once (admission.go).
	admission *admission
	now       func() time.Time
	render    *renderer
	assets    *assets
	keys      derivedKeys
	// markup is the one sanitizer: member Markdown becomes HTML only here.
	markup *markup.Renderer
	// dummyHash is checked when a username is unknown, so that it costs the
	// same hashing time as a known one.
	dummyHash string
	// postsPerMinute is the posting rate limit per member.
	postsPerMinute int
	// alerts counts urgent alerts still being sent (tests wait for them).
	alerts sync.WaitGroup
	// detector finds identifying details before a post is published.
	detector *identify.Detector
	// premodDefault is Options.PremodFirstPosts.
	premodDefault int
}

// New builds the App: it parses every template and hashes every static file
// once, so that a broken template stops start-up instead of a request.
func New(opts Options) (*App, error) {
	if opts.DB == nil || opts.Box == nil || opts.Catalog == nil {
		return nil, errors.New("handlers: DB, Box and Catalog are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PasswordParams.Memory == 0 {
		opts.PasswordParams = auth.DefaultParams()
	}
	if opts.HashWorkers <= 0 {
		opts.HashWorkers = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if opts.MaxRunning <= 0 {
		opts.MaxRunning = defaultMaxRunning
	}
	if opts.MaxWaiting <= 0 {
		opts.MaxWaiting = defaultMaxWaiting
	}
	if opts.HashQueue <= 0 {
		opts.HashQueue = 8
	}
	if opts.PostsPerMinute <= 0 {
		opts.PostsPerMinute = 10
	}
	static, err := loadAssets()
	if err != nil {
		return nil, err
	}
	r, err := newRenderer(static)
	if err != nil {
		return nil, err
	}
	keys, err := deriveKeys(opts.Box)
	if err != nil {
		return nil, fmt.Errorf("handlers: derive keys: %w", err)
	}
	return &App{
		cfg:       opts.Config,
		db:        opts.DB,
		box:       opts.Box,
		catalog:   opts.Catalog,
		log:       opts.Logger,
		params:    opts.PasswordParams,
		hashPool:  auth.NewPool(opts.HashWorkers, opts.HashQueue),
		admission: newAdmission(opts.MaxRunning, opts.MaxWaiting),
		now:       opts.Now,
		render:    r,
		assets:    static,
		keys:      keys,
		dummyHash: auth.DummyHash(opts.PasswordParams),
		markup:    markup.New(opts.Box.DeriveKey("outbound link v1")),

		postsPerMinute: opts.PostsPerMinute,
		detector:       identify.New([]string{"DE", "AT", "CH", "GB", "US"}),
		premodDefault:  max(opts.PremodFirstPosts, 0),
	}, nil
}
