// Package csvsource reads the list of users to add to (or remove from) a room:
// the files administrators really make, from Excel, HR systems and directory
// tools. It knows nothing of HTTP or of Symphony's API.
//
// What it reads, and the decisions it makes (each is visible to the user:
// Format says how the file was read, and every recovered or dropped row is a
// Problem with its line):
//
//   - Streamed: rows are read one by one (Reader.Next), with no allocation per
//     row; only the duplicate sets grow with the file, sized from the file's
//     size and its first lines (a set grown by doubling touches four times
//     the memory). A record's line is the line it starts on, also when a
//     quoted cell holds line breaks (such a row gets a warning, since a stray
//     quote can hide whole rows inside one cell).
//   - Encodings: UTF-8 with or without BOM, UTF-16 LE/BE with BOM. NUL bytes
//     or mostly non-text bytes make a binary file, refused; a few bytes of
//     Windows-1252 in cells that are not read are tolerated.
//   - Lines end in LF, CRLF or CR; blank lines and lines starting with # are
//     skipped, and so are rows of empty cells (",,,"). A line starting with an
//     Excel error value (#N/A, #REF!, ...) is a row, reported, not a comment.
//   - Delimiters , ; tab | are detected from the first 20 rows, outside quotes:
//     the delimiter must be in the first row and the most consistent one wins;
//     Excel's "sep=;" first line names it. Rows that read whole as numbers
//     ("1,234,567") are one column, not several.
//   - Header: a first row with a known column name (any case, spaces,
//     underscores, hyphens: userId, User ID, uid, email, e-mail, mail,
//     username, login, user, member, owner, isOwner, ...). The user column is
//     the most specific one: a user ID column, then email, then username, then
//     a generic user column, and a bare "id" last (it is often an employee
//     number); the others are fallbacks for rows whose user cell is empty. Two
//     equally good candidates are an error: name one with Options.Column.
//     Without a known name, a single column is read as users; a lone unknown
//     name above IDs or emails is taken as a header, with a warning; several
//     columns are an error.
//   - Values: a user ID is a positive 64-bit integer. Excel's damage (a
//     leading apostrophe, ="...", thousands separators, a trailing .0 or ,00,
//     scientific notation that kept every digit) is undone with a warning, and
//     refused when digits are lost ("7.18112E+13") or the number is ambiguous
//     ("1.234"). An email has one @ and a dotted domain, and is lower-cased. A
//     username is 1 to 128 of A-Z a-z 0-9 . _ - @, kept as written; in a
//     column not named for usernames it must hold a letter and no @ (digits
//     alone are an ID, a value with @ an email).
//   - Owner: true yes y 1 x mean owner; false no n 0 and empty mean not;
//     anything else drops the row.
//   - A row wider than its header is dropped, not trimmed: an unquoted
//     delimiter inside a cell ("Doe, Jane") shifts every cell after it, so the
//     user or owner cell read from it could be the wrong one. Trailing empty
//     cells do not count.
//   - Duplicates (the same ID however Excel wrote it, emails in any case,
//     usernames as written) are listed with the line of the first occurrence;
//     the same user with a different owner flag is a problem, not a duplicate.
//   - Rooms: a column headed room, room name, room id, stream, stream id or
//     streamid (any case and spacing; named with Options.RoomColumn
//     otherwise) puts each row in its room; a column named for stream IDs
//     beats one named for rooms, two equal candidates are an error, and a
//     file without a header row has none. Its cells are kept trimmed, as
//     written (whether one is a stream ID or a room's name is for the pod to
//     say), numbered in List.Rooms in first-seen order. A row with an empty
//     room cell, or one over MaxRoomBytes, with control characters, invalid
//     UTF-8 or an Excel error value, is dropped with its line. Duplicates
//     are per room: the same user in two rooms is two entries. A row naming
//     a room past MaxRooms ends the reading with a *FileError naming its
//     line. List.ForRoom and List.Parts give each room's part.
//   - A file that cannot be used at all fails with a *FileError naming the
//     file and the fix: missing, a folder, empty, binary, no usable column,
//     no usable row.
package csvsource
