module github.com/hookcontract/hookcontract/generated

go 1.26.0

require github.com/hookcontract/hookcontract/runtime v0.1.0

replace github.com/hookcontract/hookcontract/runtime => ../runtime
