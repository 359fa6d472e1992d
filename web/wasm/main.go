//go:build js && wasm

// Command wasm is the browser calculator's WebAssembly program: it gives
// the page doseplan.run(request, files), which runs a doseplan command
// through the command line's own code (package bridge) and returns the
// result as JSON, and doseplan.forms(), the JSON of the forms built from
// the command line's flags. Nothing leaves the browser.
//
// request is the JSON of a bridge.Request; files is an object of the
// protocol files the user picked, by name, each a Uint8Array of the file's
// bytes (so that the SHA-256 is that of the file on the disk). The result
// is the JSON of a bridge.Response.
package main

import (
	"encoding/json"
	"syscall/js"
	"time"

	"github.com/doseplan/doseplan/web/bridge"
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("run", js.FuncOf(run))
	api.Set("forms", js.FuncOf(func(js.Value, []js.Value) any {
		b, err := json.Marshal(bridge.Forms())
		if err != nil {
			return "[]"
		}
		return string(b)
	}))
	api.Set("version", bridge.Version())
	js.Global().Set("doseplan", api)
	// Tell the page the calculator is ready, then serve its calls.
	if ready := js.Global().Get("doseplanReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

func run(_ js.Value, args []js.Value) any {
	var req bridge.Request
	if len(args) == 0 || args[0].Type() != js.TypeString {
		return errorJSON("bridge: doseplan.run needs the request as a JSON string")
	}
	if err := json.Unmarshal([]byte(args[0].String()), &req); err != nil {
		return errorJSON("bridge: the request is not a bridge.Request: " + err.Error())
	}
	files := map[string][]byte{}
	if len(args) > 1 && args[1].Type() == js.TypeObject {
		names := js.Global().Get("Object").Call("keys", args[1])
		for i := 0; i < names.Length(); i++ {
			name := names.Index(i).String()
			v := args[1].Get(name)
			b := make([]byte, v.Get("length").Int())
			js.CopyBytesToGo(b, v)
			files[name] = b
		}
	}
	b, err := json.Marshal(bridge.Run(req, files, time.Now))
	if err != nil {
		return errorJSON("bridge: " + err.Error())
	}
	return string(b)
}

// errorJSON is a response for a call the page made wrongly.
func errorJSON(msg string) string {
	b, _ := json.Marshal(bridge.Response{ExitCode: 2, Errors: []bridge.FieldError{{Message: msg, Fields: []string{}}}, Messages: []string{}, Display: map[string]string{}})
	return string(b)
}
