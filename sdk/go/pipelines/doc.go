// Mage, Feldera and Ionworks pipelines: the kinds of pulumi-pipelines as a Pulumi package.
package pipelines
