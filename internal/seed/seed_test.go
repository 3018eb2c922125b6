package seed

import "testing"

// TestTopicSizes: the sizes sum to the posts asked for, every topic has its
// opening post, and the long and the 50-reply topics come first.
func TestTopicSizes(t *testing.T) {
	cases := []struct {
		name string
		o    Options
	}{
		{"default", Defaults(true)},
		{"sqlite default", Defaults(false)},
		{"tiny", Options{Seed: 3, Members: 1, Groups: 1, Topics: 4, Posts: 9}},
		{"exactly one post each", Options{Seed: 3, Members: 1, Groups: 1, Topics: 50, Posts: 50}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sizes := TopicSizes(tc.o)
			sum := 0
			for _, n := range sizes {
				if n < 1 {
					t.Fatalf("a topic of %d posts", n)
				}
				sum += n
			}
			if sum != tc.o.Posts || len(sizes) != tc.o.Topics {
				t.Fatalf("%d topics with %d posts, want %d and %d", len(sizes), sum, tc.o.Topics, tc.o.Posts)
			}
			if tc.o.Posts >= 20000 && (sizes[0] != LongTopicPosts || sizes[1] != FiftyReplyPosts) {
				t.Fatalf("first sizes %v", sizes[:2])
			}
		})
	}
}

// TestParseReadsString: the audit record the benchmark reads round-trips.
func TestParseReadsString(t *testing.T) {
	o := Options{Seed: 42, Members: 10, Groups: 2, Topics: 5, Posts: 50}
	got, err := Parse(o.String())
	if err != nil || got != o {
		t.Fatalf("Parse(%q) = %+v, %v", o.String(), got, err)
	}
	if _, err := Parse("seed=1 members=x"); err == nil {
		t.Fatal("a bad record parsed")
	}
}
