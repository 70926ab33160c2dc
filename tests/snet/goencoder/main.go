// Command goencoder encodes protobuf messages exactly as snet-daemon sends them to an HTTP service,
// with Go's own protojson and encoding/json, so that the Python encoder can be compared byte for byte.
//
// Usage: goencoder SET.pb [CREDENTIALS.json] < cases > bodies
//
// SET.pb is a FileDescriptorSet (protoc --include_imports -o). Each input line is
// "<message full name> <base64 of the binary message>"; each output line is "OK <base64 body>",
// "RAW <base64 body>" (protojson's output sent as it is: not a JSON object) or "ERR <text>".
// CREDENTIALS.json is a JSON array of {"key", "value"} body credentials, set as top-level keys.
//
// Lines starting with "#" run the daemon's other Go library calls on a base64 JSON argument:
// "#header <name>" (textproto.CanonicalMIMEHeaderKey), "#query <[[k, v], ...]>" (url.Values.Encode),
// "#join <[base, rpc]>" (path.Join); each answers "OK <base64 result>". "#parse <[message, body]>"
// reads an answer body as the daemon does (protojson, unknown fields discarded): "OK ok" or "ERR <why>".
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/textproto"
	"net/url"
	"os"
	"path"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

type credential struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// newerEscapes rewrites Go < 1.22's \u0008 and \u000c as the \b and \f that newer Go (the daemon's) writes.
func newerEscapes(in []byte) []byte {
	var out bytes.Buffer
	for i := 0; i < len(in); i++ {
		if in[i] == '\\' && i+1 < len(in) {
			if in[i+1] == 'u' && i+5 < len(in) {
				switch string(in[i+2 : i+6]) {
				case "0008":
					out.WriteString(`\b`)
					i += 5
					continue
				case "000c":
					out.WriteString(`\f`)
					i += 5
					continue
				}
			}
			out.WriteByte(in[i])
			out.WriteByte(in[i+1])
			i++
			continue
		}
		out.WriteByte(in[i])
	}
	return out.Bytes()
}

// encode is handler/grpc.go's body: protojson with proto names, decoded into a map, credentials set, re-encoded.
func encode(msg protoreflect.ProtoMessage, creds []credential) (string, []byte, error) {
	raw, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(msg)
	if err != nil {
		return "", nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return "RAW", raw, nil
	}
	for _, c := range creds {
		m[c.Key] = c.Value
	}
	body, err := json.Marshal(m)
	if err != nil {
		return "", nil, err
	}
	return "OK", newerEscapes(body), nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: goencoder SET.pb [CREDENTIALS.json] < cases")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	set := &descriptorpb.FileDescriptorSet{}
	if err := proto.Unmarshal(data, set); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	files, err := protodesc.NewFiles(set)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var creds []credential
	if len(os.Args) > 2 {
		text, err := os.ReadFile(os.Args[2])
		if err == nil {
			err = json.Unmarshal(text, &creds)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		name, payload, _ := strings.Cut(in.Text(), " ")
		if strings.HasPrefix(name, "#") {
			result, err := library(files, name, payload)
			if err != nil {
				fmt.Fprintf(out, "ERR %v\n", err)
			} else {
				fmt.Fprintf(out, "OK %s\n", base64.StdEncoding.EncodeToString([]byte(result)))
			}
			continue
		}
		found, err := files.FindDescriptorByName(protoreflect.FullName(name))
		if err != nil {
			fmt.Fprintf(out, "ERR %v\n", err)
			continue
		}
		desc, ok := found.(protoreflect.MessageDescriptor)
		if !ok {
			fmt.Fprintf(out, "ERR %s is not a message\n", name)
			continue
		}
		wire, err := base64.StdEncoding.DecodeString(payload)
		if err != nil {
			fmt.Fprintf(out, "ERR %v\n", err)
			continue
		}
		msg := dynamicpb.NewMessage(desc)
		if err := proto.Unmarshal(wire, msg); err != nil {
			fmt.Fprintf(out, "ERR %v\n", err)
			continue
		}
		kind, body, err := encode(msg, creds)
		if err != nil {
			fmt.Fprintf(out, "ERR %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
			continue
		}
		fmt.Fprintf(out, "%s %s\n", kind, base64.StdEncoding.EncodeToString(body))
	}
}

// library answers the "#" commands: the Go calls the daemon makes besides encoding the body.
func library(files *protoregistry.Files, command, payload string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return "", err
	}
	switch command {
	case "#header":
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return "", err
		}
		return textproto.CanonicalMIMEHeaderKey(name), nil
	case "#query":
		var pairs [][2]string
		if err := json.Unmarshal(raw, &pairs); err != nil {
			return "", err
		}
		values := url.Values{}
		for _, kv := range pairs {
			values.Add(kv[0], kv[1])
		}
		return values.Encode(), nil
	case "#parse":
		var args [2]string
		if err := json.Unmarshal(raw, &args); err != nil {
			return "", err
		}
		found, err := files.FindDescriptorByName(protoreflect.FullName(args[0]))
		if err != nil {
			return "", err
		}
		msg := dynamicpb.NewMessage(found.(protoreflect.MessageDescriptor))
		options := protojson.UnmarshalOptions{AllowPartial: true, DiscardUnknown: true}
		if err := options.Unmarshal([]byte(args[1]), msg); err != nil {
			return "", err
		}
		return "ok", nil
	case "#join":
		var parts [2]string
		if err := json.Unmarshal(raw, &parts); err != nil {
			return "", err
		}
		return path.Join(parts[0], parts[1]), nil
	}
	return "", fmt.Errorf("unknown command %s", command)
}
