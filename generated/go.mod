module github.com/hookcontract/hookcontract/generated

go 1.26
