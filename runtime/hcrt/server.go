package hcrt

import (
	"net/http"
	"time"
)

// The limits NewServer sets. A webhook endpoint is on a public URL: without
// them a plain http.Server lets a client hold a connection, and the memory
// behind it, for as long as it likes by sending its headers or body a byte
// at a time.
const (
	ServerReadHeaderTimeout = 5 * time.Second  // the request line and headers
	ServerReadTimeout       = 30 * time.Second // the whole request, body included
	ServerWriteTimeout      = 30 * time.Second // from the end of the headers to the end of the answer; a later answer is not sent
	ServerIdleTimeout       = 2 * time.Minute  // a kept-alive connection between requests
	ServerMaxHeaderBytes    = 64 << 10         // request line and headers
)

// NewServer returns the recommended http.Server for a handler from
// NewHandler, listening on addr: headers read within
// ServerReadHeaderTimeout and at most ServerMaxHeaderBytes, the whole
// request within ServerReadTimeout, the answer written within
// ServerWriteTimeout, idle connections closed after ServerIdleTimeout.
// Together with the handler's body limit, a client that sends slowly holds
// a bounded amount of memory for a bounded time. Change a field before
// calling ListenAndServe when the Handler needs longer to run than
// ServerWriteTimeout (and keep the Deduper's claim lease longer still).
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: ServerReadHeaderTimeout,
		ReadTimeout:       ServerReadTimeout,
		WriteTimeout:      ServerWriteTimeout,
		IdleTimeout:       ServerIdleTimeout,
		MaxHeaderBytes:    ServerMaxHeaderBytes,
	}
}
