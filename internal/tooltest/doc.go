// Package tooltest lets a test that needs an optional outside tool (a browser,
// a Python library, an npm package) skip on a machine that lacks it, and fail
// instead when the run requires every tool, as .ci/run does with
// DOSEPLAN_REQUIRE_TOOLS=1.
package tooltest
