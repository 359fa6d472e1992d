package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readmePart is a stretch of README.md: prose, or a fenced block with its
// info string ("text", "sh").
type readmePart struct {
	fence string // "" for prose
	text  string
	line  int // first line, 1-based
}

func readmeParts(t *testing.T) []readmePart {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var parts []readmePart
	cur := readmePart{line: 1}
	inFence := false
	for i, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "```") {
			parts = append(parts, cur)
			if inFence {
				cur = readmePart{line: i + 2}
			} else {
				cur = readmePart{fence: strings.TrimPrefix(l, "```"), line: i + 2}
			}
			inFence = !inFence
			continue
		}
		cur.text += l + "\n"
	}
	return append(parts, cur)
}

// shellWords splits a command line as a shell would, for the quoting the
// README uses: words separated by spaces, "double" and 'single' quotes.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\n' || r == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// isSubsequence reports whether every line of want is a line of got, in
// order: a pasted excerpt of an output (the README leaves steps out).
func isSubsequence(want, got []string) (string, bool) {
	j := 0
	for _, w := range want {
		for j < len(got) && got[j] != w {
			j++
		}
		if j == len(got) {
			return w, false
		}
		j++
	}
	return "", true
}

func outputLines(r result) []string {
	return strings.Split(strings.TrimRight(r.stdout+r.stderr, "\n"), "\n")
}

var (
	inlineCommand = regexp.MustCompile("`(doseplan [^`]+)`")
	statedExit    = regexp.MustCompile(`\bexit (\d)\b`)
)

// Every doseplan command the README shows is one the CLI runs as the README
// says: a command it names exists; a command line it quotes in the prose is
// accepted (no usage error), ends with the exit code the sentence states,
// and every line of the text blocks pasted right after it is a line of the
// real output, in order; a "$ doseplan …" transcript is the real output,
// line for line.
func TestReadmeCommands(t *testing.T) {
	parts := readmeParts(t)
	files := readmeFiles{}
	commands := 0
	for i, p := range parts {
		switch {
		case p.fence == "":
			matches := inlineCommand.FindAllStringSubmatchIndex(p.text, -1)
			for k, m := range matches {
				line := p.line + strings.Count(p.text[:m[0]], "\n")
				words := shellWords(p.text[m[2]:m[3]])[1:]
				commands++
				if len(words) == 1 {
					// A command's name, as in the table of commands.
					if r := files.run("help", words[0]); r.code != exitOK {
						t.Errorf("README.md:%d: `doseplan %s` is not a command: %s", line, words[0], r.stderr)
					}
					continue
				}
				r := files.run(words...)
				if r.code == exitUsage {
					t.Errorf("README.md:%d: the CLI refuses `doseplan %s` (exit %d): %s", line, strings.Join(words, " "), r.code, r.stderr)
					continue
				}
				// The sentence's "exit N", up to the next command.
				end := len(p.text)
				if k+1 < len(matches) {
					end = matches[k+1][0]
				}
				if e := statedExit.FindStringSubmatch(p.text[m[1]:end]); e != nil {
					if want, _ := strconv.Atoi(e[1]); r.code != want {
						t.Errorf("README.md:%d: `doseplan %s` exits %d; the README says exit %d", line, strings.Join(words, " "), r.code, want)
					}
				}
				if k+1 < len(matches) {
					continue // the blocks that follow belong to the last command
				}
				for _, b := range parts[i+1:] {
					if b.fence == "" && strings.TrimSpace(b.text) != "" {
						break
					}
					if b.fence != "text" {
						continue
					}
					if missing, ok := isSubsequence(strings.Split(strings.TrimRight(b.text, "\n"), "\n"), outputLines(r)); !ok {
						t.Errorf("README.md:%d: the output pasted for `doseplan %s` has a line the command does not print (or not in this order): %q\n-- real output --\n%s%s",
							b.line, strings.Join(words, " "), missing, r.stdout, r.stderr)
					}
				}
			}
		case p.fence == "text" && strings.Contains(p.text, "$ doseplan "):
			// A transcript: each "$ doseplan" line and the lines it prints.
			lines := strings.Split(strings.TrimRight(p.text, "\n"), "\n")
			for j := 0; j < len(lines); j++ {
				cmd, ok := strings.CutPrefix(lines[j], "$ doseplan ")
				if !ok {
					continue
				}
				var want []string
				for j+1 < len(lines) && !strings.HasPrefix(lines[j+1], "$ ") {
					j++
					want = append(want, lines[j])
				}
				commands++
				r := files.run(shellWords(cmd)...)
				if got := outputLines(r); strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("README.md:%d: `doseplan %s` prints\n%s\nnot what the README shows:\n%s", p.line, cmd, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
		}
	}
	if commands < 10 {
		t.Fatalf("found %d doseplan commands in README.md; the parser has lost them", commands)
	}
}

// readmeFiles are the files the README's commands write, in memory, so
// that they run in order as a reader would (a record written, then read
// by the next command) and leave nothing behind; files they read are the
// repository's, named from its root as the README names them.
type readmeFiles map[string][]byte

func (m readmeFiles) run(args ...string) result {
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Open: func(name string) (io.ReadCloser, error) {
			if b, ok := m[name]; ok {
				return io.NopCloser(bytes.NewReader(b)), nil
			}
			return os.Open(filepath.Join("..", "..", name))
		},
		WriteFile: memoryFiles(os.DirFS(filepath.Join("..", "..")), m)}
	code := env.Run(args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func TestShellWords(t *testing.T) {
	got := shellWords(`plan --closed "2025-04-11=Good Friday" --ack 'a=b c'` + "\n--tz UTC")
	want := []string{"plan", "--closed", "2025-04-11=Good Friday", "--ack", "a=b c", "--tz", "UTC"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("shellWords = %q, want %q", got, want)
	}
}
