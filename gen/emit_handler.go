package gen

// emitClient: management endpoint clients (see client.go).
func (g *generator) emitClient() error { return nil }
