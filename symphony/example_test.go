package symphony_test

import (
	"fmt"
	"time"

	"roster/symphony"
)

// The Symphony client shows stream IDs in standard base64; URLs need the
// URL-safe form. Either is accepted.
func ExampleParseStreamID() {
	for _, in := range []string{"tzwvAZIdDMG3ZPRxv+xsgH///qr+JJkWdA==", "tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA", "room 42"} {
		id, err := symphony.ParseStreamID(in)
		fmt.Println(id, err)
	}
	// Output:
	// tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA <nil>
	// tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA <nil>
	//  not a stream ID: "room 42" contains ' ' at position 5, a character a stream ID never has; a stream ID is base64 (letters, digits, and + / or - _) such as "tzwvAZIdDMG3ZPRxv+xsgH///qr+JJkWdA==" or "tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA"
}

// Backoff honours the pod's Retry-After, and otherwise grows with jitter
// until the attempts run out.
func ExampleRetryPolicy_Backoff() {
	p := symphony.RetryPolicy{MaxAttempts: 3}
	limited := &symphony.APIError{Status: 429, Class: symphony.ClassRetry, RetryAfter: 2 * time.Second}
	fmt.Println(p.Backoff(1, limited))
	fmt.Println(p.Backoff(3, limited))
	fmt.Println(p.Backoff(1, &symphony.APIError{Status: 403, Class: symphony.ClassPermanent}))
	// Output:
	// 2s true
	// 0s false
	// 0s false
}
