package bulk

import (
	"testing"
	"time"
)

func TestCount(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1200: "1,200", 1234567: "1,234,567", -4500: "-4,500", -999: "-999"} {
		if got := Count(in); got != want {
			t.Errorf("Count(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestCounted(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0 users"}, {1, "1 user"}, {2, "2 users"}, {5000, "5,000 users"}} {
		if got := Counted(tt.n, "user", "users"); got != tt.want {
			t.Errorf("Counted(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for in, want := range map[time.Duration]string{
		-time.Second:                          "0s",
		0:                                     "0s",
		5 * time.Millisecond:                  "5ms",
		1500 * time.Microsecond:               "2ms",
		2500 * time.Millisecond:               "2.5s",
		3 * time.Second:                       "3s",
		61*time.Second + 400*time.Millisecond: "1m01s",
		36 * time.Minute:                      "36m00s",
		5000 * 3 * time.Second:                "4h10m",
		time.Hour + 2*time.Minute + 20e9:      "1h02m",
	} {
		if got := FormatDuration(in); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", in, got, want)
		}
	}
}
