package csvsource

import "io"

// ReadFile reads a whole file. It fails (with a message naming the file) on a
// missing file, a folder, an empty or binary file, a file with no usable
// column, or a file where every row is bad.
func ReadFile(path string, opts Options) (*List, error) {
	r, err := Open(path, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	list := &List{Path: path}
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		list.Entries = append(list.Entries, e)
	}
	list.Problems = r.Problems()
	list.Duplicates = r.Duplicates()
	list.Summary = r.Summary()
	list.Format = r.Format()
	list.Rooms = r.Rooms()
	list.RoomSummaries = r.RoomSummaries()
	return list, nil
}
