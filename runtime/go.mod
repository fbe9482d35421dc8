module github.com/hookcontract/hookcontract/runtime

go 1.26.0
