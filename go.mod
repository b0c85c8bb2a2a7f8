module raftplay

go 1.26

require (
	github.com/andybalholm/brotli v1.3.0 // indirect
	github.com/hack-pad/safejs v0.1.0 // indirect
)
