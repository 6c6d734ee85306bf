// A daily orders pipeline on Mage, a fraud view on Feldera and a parameter run
// on Ionworks, declared in Go: the same kinds, rules and server calls as the
// TypeScript classes and YAML files, through the pipelines provider plugin.
package main

import (
	"github.com/pulumi-pipelines/pulumi-pipelines/sdk/go/pipelines/feldera"
	"github.com/pulumi-pipelines/pulumi-pipelines/sdk/go/pipelines/ionworks"
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
		// A secret in Mage's own store, for blocks to read with get_secret_value: the value is a
		// reference, resolved by the plugin from stack config pipelines:secrets or the environment.
		_, err := mage.NewSecret(ctx, "warehouse-password", &mage.SecretArgs{
			Name:  pulumi.String("go_warehouse_password"),
			Value: pulumi.Map{"secret": pulumi.String("WAREHOUSE_PASSWORD")},
		})
		if err != nil {
			return err
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
		fraud, err := feldera.NewPipeline(ctx, "fraud", &feldera.PipelineArgs{
			Name:        pulumi.String("go-fraud"),
			Description: pulumi.String("Large payments, as a view"),
			Blocks: pulumi.Array{
				pulumi.Map{
					"name": pulumi.String("payments"),
					"sql":  pulumi.String("CREATE TABLE payments (id INT, amount DECIMAL(10, 2));"),
				},
				pulumi.Map{
					"name": pulumi.String("large"),
					"sql":  pulumi.String("CREATE MATERIALIZED VIEW large_payments AS SELECT * FROM payments WHERE amount > 1000;"),
				},
			},
		})
		if err != nil {
			return err
		}
		// A run on Ionworks: its elements in series; the plugin waits until it completes.
		capacity, err := ionworks.NewPipeline(ctx, "cell-capacity", &ionworks.PipelineArgs{
			Name:        pulumi.String("go-cell-capacity"),
			Description: pulumi.String("Electrode balance of a known cell, declared in Go"),
			WaitFor:     pulumi.String("completed"),
			Blocks: pulumi.Array{
				pulumi.Map{
					"name":   pulumi.String("known"),
					"type":   pulumi.String("entry"),
					"config": pulumi.Map{"values": pulumi.Map{"Nominal cell capacity [A.h]": pulumi.Float64(5)}},
				},
				pulumi.Map{
					"name": pulumi.String("balance"),
					"type": pulumi.String("calculation"),
					"config": pulumi.Map{
						"calculation": pulumi.String("ElectrodeVolumeFractionFromLoading"),
						"electrode":   pulumi.String("positive"),
						"method":      pulumi.String("loading"),
					},
				},
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("pipelineUuid", orders.Uuid)
		ctx.Export("scheduleId", daily.ScheduleId)
		ctx.Export("fraudStatus", fraud.ProgramStatus)
		ctx.Export("capacityStatus", capacity.Status)
		return nil
	})
}
