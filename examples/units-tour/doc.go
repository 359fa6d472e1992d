// Command units-tour parses, converts, multiplies and rounds clinical
// quantities with doseplan's units package and prints them the ISMP way.
package main
