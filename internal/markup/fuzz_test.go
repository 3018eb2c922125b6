package markup

import (
	"fmt"
	"testing"
)

// FuzzRender renders arbitrary input and asserts the output is inert and
// within the allow-list (ASVS 1.2.1, 1.2.2, 1.3.1, 1.3.5, 3.6.1). Seeds: the
// public payload list in every Markdown context, plus testdata/fuzz.
func FuzzRender(f *testing.F) {
	for _, payload := range readPayloads(f) {
		for _, c := range payloadContexts {
			f.Add(fmt.Sprintf(c.format, payload))
		}
	}
	f.Add(realisticPost)
	r := New(testLinkKey)
	f.Fuzz(func(t *testing.T, markdown string) {
		out, err := r.Render(markdown)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		assertSafe(t, markdown, string(out))
	})
}
