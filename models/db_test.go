package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"hearth/models"
)

// TestOpenUnreachablePostgres waits a bounded time with retries, then fails
// with a clear message.
func TestOpenUnreachablePostgres(t *testing.T) {
	start := time.Now()
	_, err := models.Open(context.Background(), models.DBOptions{
		PostgresURL:    "postgres://nobody@127.0.0.1:1/none?sslmode=disable",
		ConnectTimeout: 1500 * time.Millisecond,
	})
	if err == nil || !strings.Contains(err.Error(), "did not answer within 1.5s") {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) < time.Second {
		t.Fatal("gave up without retrying")
	}
}
