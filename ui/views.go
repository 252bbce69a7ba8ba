package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"roster/symphony"
	"roster/symphony/bulk"
)

// truncate cuts a (possibly styled) line to w cells.
func truncate(s string, w int) string { return ansi.Truncate(s, w, "…") }

// wrap folds a (possibly styled) text to w cells, continuation lines indented.
func wrap(s string, w int) string {
	return strings.ReplaceAll(ansi.Wrap(s, max(w-2, 10), " "), "\n", "\n  ")
}

// errorBox shows an error in place, with what to do about it.
func errorBox(st Styles, title string, err error, width int) string {
	inner := max(width-4, 20)
	text := st.Bad.Bold(true).Render(title) + "\n" + ansi.Wrap(errText(err), inner, " /")
	if hint := fixHint(err); hint != "" {
		text += "\n" + ansi.Wrap("What to do: "+hint, inner, " ")
	}
	return st.ErrorBox.Width(inner + 2).Render(text)
}

// fixHint says how to fix the errors operators meet most.
func fixHint(err error) string {
	var api *symphony.APIError
	if errors.As(err, &api) {
		switch api.Status {
		case 401:
			return "the pod refused the bot's credentials: check the bot's username and that the pod holds the public key of its private key (or the certificate's CN)."
		case 403:
			return "the bot lacks a permission: it must own the room, or be a member of a room whose members can invite, or have the User Provisioning role."
		case 404:
			return "check the stream ID (either base64 form works) and that the bot can see the room."
		case 429:
			return "the pod is limiting calls; wait a minute and try again."
		}
	}
	msg := strings.ToLower(errText(err))
	switch {
	case strings.Contains(msg, "truststore"):
		return "" // the client already says what to set
	case strings.Contains(msg, "x509") || strings.Contains(msg, "unknown authority") || strings.Contains(msg, "certificate signed by unknown authority"):
		return "the pod's TLS certificate is not trusted: set truststorePath (config.json) or ssl.trustStore.path (config.yaml) to your CA bundle."
	case strings.Contains(msg, "connection refused") || strings.Contains(msg, "no such host"):
		return "the pod cannot be reached: check podHost/podPort (host/port in config.yaml) and the proxy settings."
	}
	return ""
}

// countdown is a wait the screen counts down once a second (a retry, the
// run window, the ETA): whole seconds from 1s to a minute, so that a figure
// between two ticks is not shown more precise than it is; otherwise as
// bulk.FormatDuration prints it.
func countdown(d time.Duration) string {
	if d >= time.Second && d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Round(time.Second).Seconds()))
	}
	return bulk.FormatDuration(d)
}

// padRight pads or cuts a plain string to exactly w cells.
func padRight(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}
