// Package podsim is an in-process Symphony pod simulator, written from
// Symphony's public OpenAPI specs (not from roster's client), for tests,
// `roster demo` and `roster sim`.
package podsim
