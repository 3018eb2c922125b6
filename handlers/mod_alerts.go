package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// alertText is all an urgent alert ever says: no member, no group, no
// words of the report leave the server.
const alertText = "An urgent report is waiting in the moderation queue."

// alertTimeout bounds each alert, so that a dead webhook or mail server
// costs nothing but a log line.
const alertTimeout = 10 * time.Second

// alertUrgent sends the content-free alert through the configured webhook
// and SMTP server, in the background: the member who reported never waits
// for it.
func (a *App) alertUrgent(c echo.Context) {
	s, err := models.LoadAlertSettings(a.db.WithContext(c.Request().Context()))
	if err != nil {
		a.log.Error("load alert settings", "request_id", requestID(c), "error", err.Error())
		return
	}
	if s.Webhook == "" && s.SMTP == "" {
		return
	}
	a.alerts.Add(1)
	go func() {
		defer a.alerts.Done()
		ctx, cancel := context.WithTimeout(context.Background(), alertTimeout)
		defer cancel()
		if s.Webhook != "" {
			if err := sendWebhook(ctx, s.Webhook); err != nil {
				a.log.Warn("urgent alert webhook failed", "error", err.Error())
			}
		}
		if s.SMTP != "" {
			if err := sendAlertMail(ctx, s); err != nil {
				a.log.Warn("urgent alert mail failed", "error", err.Error())
			}
		}
	}()
}

func sendWebhook(ctx context.Context, target string) error {
	body := fmt.Sprintf(`{"text":%q}`, alertText)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Timeout: alertTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 {
		return fmt.Errorf("webhook answered %d", res.StatusCode)
	}
	return nil
}

func sendAlertMail(ctx context.Context, s models.AlertSettings) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.SMTP)
	if err != nil {
		return err
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	host, _, _ := net.SplitHostPort(s.SMTP)
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		_ = conn.Close()
		return err
	}
	defer cl.Close()
	if err := cl.Mail(s.From); err != nil {
		return err
	}
	if err := cl.Rcpt(s.To); err != nil {
		return err
	}
	w, err := cl.Data()
	if err != nil {
		return err
	}
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: Urgent report\r\n\r\n%s\r\n", s.From, s.To, alertText)
	if _, err := w.Write(msg.Bytes()); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return cl.Quit()
}

// alertsForm is the administrators' alert settings form.
type alertsForm struct {
	Webhook string `form:"webhook"`
	SMTP    string `form:"smtp"`
	From    string `form:"from"`
	To      string `form:"to"`
}

// check refuses anything but an http(s) URL and plain addresses.
func (f *alertsForm) check(data *pageData) models.AlertSettings {
	s := models.AlertSettings{Webhook: strings.TrimSpace(f.Webhook), SMTP: strings.TrimSpace(f.SMTP),
		From: strings.TrimSpace(f.From), To: strings.TrimSpace(f.To)}
	if s.Webhook != "" {
		u, err := url.Parse(s.Webhook)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
			data.Errors["webhook"] = data.T("words.alerts.error_webhook")
		}
	}
	if s.SMTP != "" {
		if _, _, err := net.SplitHostPort(s.SMTP); err != nil {
			data.Errors["smtp"] = data.T("words.alerts.error_smtp")
		}
		for field, v := range map[string]string{"from": s.From, "to": s.To} {
			if _, err := mail.ParseAddress(v); err != nil || strings.ContainsAny(v, "\r\n<>") {
				data.Errors[field] = data.T("words.alerts.error_address")
			}
		}
	}
	return s
}

// alertsPost saves the alert settings (shown on the word-list page).
func (a *App) alertsPost(c echo.Context) error {
	var f alertsForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["webhook"], data.Form["smtp"], data.Form["from"], data.Form["to"] = f.Webhook, f.SMTP, f.From, f.To
	s := f.check(data)
	if data.HasErrors() {
		return a.wordsPage(c, http.StatusUnprocessableEntity, data, false)
	}
	if err := models.SaveAlertSettings(a.db.WithContext(c.Request().Context()), currentAccount(c).ID, s, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.mod.alerts_saved")
	return c.Redirect(http.StatusSeeOther, "/admin/words")
}
