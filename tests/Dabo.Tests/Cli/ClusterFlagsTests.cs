using System.ComponentModel;
using System.Reflection;
using Dabo.Cli.Commands;
using Dabo.Cli.Slurm;
using Spectre.Console.Cli;

namespace Dabo.Tests.Cli;

/// <summary>
/// The cluster flags are declared twice (Spectre.Console.Cli reads options only along a settings class's
/// inheritance chain, so the training commands and the benchmarks cannot share one declaring class);
/// this test keeps the two declarations one rule.
/// </summary>
public class ClusterFlagsTests
{
    [Fact]
    public void Experiment_and_benchmark_settings_declare_every_cluster_flag_alike()
    {
        // --threads is left to each command: each says how it shares the cores among its jobs.
        var names = typeof(IClusterSettings).GetProperties().Select(p => p.Name).Where(n => n != "Threads").ToList();
        Assert.Contains("Jobs", names);
        foreach (string name in names)
        {
            var experiment = Declaration(typeof(ExperimentSettings), name);
            var bench = Declaration(typeof(BenchClusterSettings), name);
            Assert.Equal(experiment, bench);
            Assert.False(string.IsNullOrWhiteSpace(experiment.Description), name);
        }
    }

    private static (string Template, string Description, Type Type) Declaration(Type settings, string name)
    {
        var property = settings.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{settings.Name} has no {name}");
        var option = property.GetCustomAttribute<CommandOptionAttribute>()
            ?? throw new InvalidOperationException($"{settings.Name}.{name} is not a command-line option");
        string template = string.Join("|", option.ShortNames.Select(s => "-" + s).Concat(option.LongNames.Select(l => "--" + l)))
            + (option.ValueName is null ? "" : $" <{option.ValueName}>");
        return (template, property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "", property.PropertyType);
    }
}
