package seed

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The words posts are made of: the vocabulary of a support forum, so that
// search finds realistic matches ("phone", "police", "account").
var (
	subjects = []string{"I", "My sister", "A friend", "My ex", "Someone from work", "The person", "We", "My counsellor",
		"The advice centre", "Another member", "My partner", "The police officer", "My neighbour"}
	verbs = []string{"noticed", "reported", "changed", "blocked", "found", "documented", "explained", "asked about",
		"kept a log of", "talked about", "checked", "turned off", "printed", "saved screenshots of"}
	objects = []string{"the messages", "my phone", "the location sharing", "the fake account", "every call",
		"the emails", "my passwords", "the car", "the tracking app", "the screenshots", "my router", "the photos",
		"the restraining order", "my social media", "the second phone", "the bank statements"}
	tails = []string{"last week", "again yesterday", "after the hearing", "before I moved", "for months",
		"every evening", "when I was at work", "since the summer", "without telling anyone", "with help from the hotline",
		"one step at a time", "and it helped a little"}
	openers = []string{"Thank you for sharing this.", "This sounds really hard.", "You are not alone with this.",
		"I went through something similar.", "Take your time.", "What helped me was writing everything down.",
		"Sending you strength today.", "Has anyone had the same experience?", "A small update from me."}
	listItems = []string{"Write down dates, times and what happened", "Keep screenshots in a safe place",
		"Change passwords from a device they never touched", "Check which apps share your location",
		"Tell one person you trust", "Ask the advice centre about a protection order",
		"Turn on two-factor authentication everywhere", "Look for unknown devices in your accounts",
		"Take breaks from reading messages", "Save the hotline number under another name"}
	linkTargets = []string{"https://www.example.org/safety-planning", "https://help.example.net/stalking-log",
		"https://www.example.com/guides/phone-check", "https://support.example.org/legal-advice"}
)

// sentence makes one sentence. Half of them name rarer things from a large
// vocabulary whose word frequencies follow Zipf's law, as real text does:
// with the small vocabulary alone every word would be in half the posts,
// and search would measure nothing but its worst case.
func sentence(r *rand.Rand) string {
	s := fmt.Sprintf("%s %s %s %s", pick(r, subjects), pick(r, verbs), pick(r, objects), pick(r, tails))
	if r.IntN(2) == 0 {
		z := rand.NewZipf(r, 1.1, 2, VocabularySize-1)
		// Zipf draws from 0 to VocabularySize-1: the conversion cannot overflow.
		s += fmt.Sprintf(" near the %s %s", Word(int(z.Uint64())), Word(int(z.Uint64()))) // #nosec G115 -- bounded above
	}
	return s + "."
}

// VocabularySize is the number of words of the large vocabulary.
const VocabularySize = 8000

// syllables build the large vocabulary's words.
var syllables = []string{"ka", "lo", "mi", "ren", "sa", "to", "vel", "da", "ni", "por", "que", "ti", "bra", "lun", "es",
	"mor", "zi", "han", "ul", "fe"}

// Word is the word of the large vocabulary at rank (0 is the most
// frequent); the benchmark searches for words of chosen ranks.
func Word(rank int) string {
	n := len(syllables)
	w := syllables[rank%n] + syllables[(rank/n)%n]
	if rank >= n*n {
		w += syllables[(rank/(n*n))%n]
	}
	return w + "o"
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// paragraph makes a paragraph of n sentences.
func paragraph(r *rand.Rand, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = sentence(r)
	}
	if r.IntN(3) == 0 {
		parts[0] = pick(r, openers) + " " + parts[0]
	}
	return strings.Join(parts, " ")
}

// Body makes one post's Markdown. Lengths follow what support forums see:
// about a third are a line or two, half a few paragraphs, the rest long
// posts with lists, quotes and links.
func Body(r *rand.Rand) string {
	var blocks []string
	switch k := r.IntN(10); {
	case k < 3:
		blocks = append(blocks, paragraph(r, 1+r.IntN(2)))
	case k < 8:
		for range 2 + r.IntN(3) {
			blocks = append(blocks, paragraph(r, 2+r.IntN(4)))
		}
	default:
		for range 4 + r.IntN(6) {
			blocks = append(blocks, paragraph(r, 3+r.IntN(5)))
		}
	}
	if r.IntN(4) == 0 {
		blocks = append(blocks, "> "+sentence(r)+"\n> "+sentence(r))
	}
	if r.IntN(4) == 0 {
		items := make([]string, 2+r.IntN(4))
		for i := range items {
			marker := "- "
			if i > 0 && strings.HasPrefix(items[0], "1.") {
				marker = fmt.Sprintf("%d. ", i+1)
			} else if i == 0 && r.IntN(2) == 0 {
				marker = "1. "
			}
			items[i] = marker + pick(r, listItems)
		}
		blocks = append(blocks, strings.Join(items, "\n"))
	}
	if r.IntN(6) == 0 {
		blocks = append(blocks, fmt.Sprintf("This page helped me: [%s](%s). **Be careful** to open it on a safe device.",
			pick(r, []string{"a safety plan", "keeping a log", "checking your phone", "legal advice"}), pick(r, linkTargets)))
	}
	// Shuffle all but the first block so quotes and lists are not always last.
	tail := blocks[1:]
	r.Shuffle(len(tail), func(i, j int) { tail[i], tail[j] = tail[j], tail[i] })
	return strings.Join(blocks, "\n\n")
}

// Title makes a topic title.
func Title(r *rand.Rand) string {
	t := fmt.Sprintf("%s %s %s", pick(r, subjects), pick(r, verbs), pick(r, objects))
	if r.IntN(3) == 0 {
		t += " " + pick(r, tails)
	}
	return t
}

// GroupNames are the names of seeded groups; more groups than names get a
// number.
var GroupNames = []string{"Phones and tracking", "After leaving", "Court and police", "Online accounts",
	"Family and friends", "Work and stalking", "Moving house", "Sleep and anxiety", "Parents", "Students",
	"Evening check-in", "Documenting", "Small wins", "Newcomers", "Long-term support"}
