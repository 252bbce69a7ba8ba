package words

import (
	"testing"

	"roster/symphony/bulk"
)

// A run that left rooms out did not do every user: its ending says so,
// whatever the actions of the rooms that ran did.
func TestEndingOfARunWithRoomsLeftOut(t *testing.T) {
	for _, tt := range []struct {
		sum  bulk.Summary
		want string
	}{
		{bulk.Summary{LeftOut: 1, Totals: bulk.Totals{Actions: 5, Done: 5, Added: 5}},
			"The run finished; 1 room was left out (their users were not done)"},
		{bulk.Summary{LeftOut: 2, Totals: bulk.Totals{Actions: 5, Done: 5, Added: 4, Failed: 1}},
			"The run finished; 1 user failed and 2 rooms were left out"},
		{bulk.Summary{Totals: bulk.Totals{Actions: 5, Done: 5, Added: 5}}, "The run finished: every action succeeded"},
	} {
		if got := Ending(&tt.sum, nil, ""); got != tt.want {
			t.Errorf("Ending(%+v) = %q, want %q", tt.sum, got, tt.want)
		}
	}
}
