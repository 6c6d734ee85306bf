// A daily orders pipeline on Mage, declared in Go: the same kinds, rules and
// server calls as the TypeScript classes and YAML files, through the
// pipelines provider plugin.
package main

import (
	"github.com/pulumi-pipelines/pulumi-pipelines/sdk/go/pipelines/mage"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		description := config.Get(ctx, "description")
		if description == "" {
			description = "Daily orders, declared in Go"
		}
		orders, err := mage.NewPipeline(ctx, "orders", &mage.PipelineArgs{
			Name:        pulumi.String("go orders"),
			Description: pulumi.String(description),
			Tags:        pulumi.StringArray{pulumi.String("orders"), pulumi.String("go")},
			Variables:   pulumi.Map{"region": pulumi.String("eu")},
		})
		if err != nil {
			return err
		}
		fetch, err := mage.NewBlock(ctx, "fetch-orders", &mage.BlockArgs{
			Pipeline: orders.Name.Elem(),
			Name:     pulumi.String("fetch_orders"),
			Type:     pulumi.String("data_loader"),
			CodeFile: pulumi.String("blocks/fetch_orders.py"),
		})
		if err != nil {
			return err
		}
		_, err = mage.NewBlock(ctx, "drop-empty", &mage.BlockArgs{
			Pipeline: orders.Name.Elem(),
			Name:     pulumi.String("drop_empty"),
			Type:     pulumi.String("transformer"),
			CodeFile: pulumi.String("blocks/drop_empty.py"),
			Upstream: pulumi.StringArray{fetch.Name.Elem()},
		})
		if err != nil {
			return err
		}
		daily, err := mage.NewSchedule(ctx, "orders-daily", &mage.ScheduleArgs{
			Pipeline:  orders.Name.Elem(),
			Name:      pulumi.String("daily"),
			Type:      pulumi.String("time"),
			Interval:  pulumi.String("@daily"),
			StartTime: pulumi.String("2030-01-01T06:00:00Z"),
			Status:    pulumi.String("active"),
		})
		if err != nil {
			return err
		}
		ctx.Export("pipelineUuid", orders.Uuid)
		ctx.Export("scheduleId", daily.ScheduleId)
		return nil
	})
}
