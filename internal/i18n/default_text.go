package i18n

// DefaultText returns the text of message id in lang as its locale file has it — the "other" form
// for a message with plural forms — and whether the message has plural forms. ok is false when lang
// or id is unknown. The administrators' text page shows it beside their own wording.
func (c *Catalog) DefaultText(lang, id string) (text string, plural, ok bool) {
	m, found := c.messagesOf(lang)[id]
	if !found {
		return "", false, false
	}
	return m.Other, hasPluralForms(m), true
}
