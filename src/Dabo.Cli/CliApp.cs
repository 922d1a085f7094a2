using Dabo.Cli.Commands;
using Dabo.Cli.Slurm;
using Dabo.IO;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Dabo.Cli;

/// <summary>The <c>dabo</c> command line: a thin shell over the Dabo library.</summary>
public static class CliApp
{
    /// <summary>Exit code for bad input (a file, flag or configuration the user can fix).</summary>
    public const int UsageError = 2;

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        args = SlurmLauncher.JoinArgsValue(args);
        // Process-wide malloc settings: the application's choice, so the CLI makes it (docs/speed.md).
        TorchRuntime.TuneAllocator();
        // Bind Spectre's console to the current standard output (which tests may redirect between runs).
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("dabo");
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.ConfigureConsole(AnsiConsole.Console);
            config.SetHelpProvider(new PlainTextHelpProvider(config.Settings));
            config.SetInterceptor(new CacheDirectoryCheck());
            config.AddCommand<DemoCommand>("demo")
                .WithDescription("The demonstration: Fashion-MNIST, 1,000 images, no augmentation vs TrivialAugment vs auto, which chooses how much to augment (none, trivialaugment, auto), same seed; table, verdict, auto's choice and report.")
                .WithExample("demo")
                .WithExample("demo", "--epochs", "100", "--out", "runs/demo100");
            config.AddCommand<CompareCommand>("compare")
                .WithDescription("Run methods × seeds (resumable) and write results.md, results.json and report.html.")
                .WithExample("compare", "--dataset", "fashion-mnist", "--train-size", "1000", "--model", "small-cnn", "--methods", "none,standard,trivialaugment,learned-affine", "--seeds", "2", "--epochs", "10", "--out", "runs/cmp")
                .WithExample("compare", "--methods", "none,grid:random-affine,learned-affine", "--grid", "0,0.5,1", "--out", "runs/cmp-grid");
            config.AddCommand<GridSearchCommand>("grid-search")
                .WithDescription("The grid-search baseline: one classifier per magnitude, best by validation accuracy, total cost reported.")
                .WithExample("grid-search", "--family", "random-affine", "--grid", "0,0.25,0.5,0.75,1", "--seeds", "1", "--out", "runs/grid");
            config.AddCommand<PreviewCommand>("preview")
                .WithDescription("Write a PNG of training images beside their augmented versions (a run's augmenter, or any method).")
                .WithExample("preview", "--run", "runs/demo/runs/learned-policy/seed-0", "--images", "32", "--out", "preview.png")
                .WithExample("preview", "--augment", "trivialaugment", "--dataset", "fashion-mnist", "--out", "ta.png");
            config.AddCommand<EvalCommand>("eval")
                .WithDescription("Accuracy, per-class accuracy and confusion matrix of a run's classifier; optional test-time augmentation.")
                .WithExample("eval", "--run", "runs/demo/runs/learned-policy/seed-0")
                .WithExample("eval", "--run", "runs/x", "--tta", "8", "--json");
            config.AddCommand<PredictCommand>("predict")
                .WithDescription("Classify image files (or folders of them) with a run's classifier: a CSV of path, predicted class and every class's probability.")
                .WithExample("predict", "--run", "runs/parts", "new-images/")
                .WithExample("predict", "--run", "runs/parts", "a.png", "b.jpg", "--out", "predictions.csv");
            config.AddCommand<ExportCommand>("export")
                .WithDescription("Write a run's classifier as ONNX (for ONNX Runtime) or safetensors (for PyTorch), with its normalization, classes and image size in a JSON file beside it.")
                .WithExample("export", "--run", "runs/x", "--out", "x.safetensors")
                .WithExample("export", "--run", "runs/x", "--out", "x.onnx");
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train one classifier with one augmentation method (fixed, learned by bilevel optimization, or transferred).")
                .WithExample("train", "--dataset", "fashion-mnist", "--train-size", "1000", "--augment", "none", "--epochs", "30", "--out", "runs/none")
                .WithExample("train", "--augment", "learned-affine", "--epochs", "100", "--out", "runs/learned")
                .WithExample("train", "--augment", "standard+learned-affine", "--dataset", "../shared/data/cifar10-jpg.tar.gz", "--train-size", "4000", "--out", "runs/c10")
                .WithExample("train", "--augment", "learned:runs/learned", "--out", "runs/transfer");
            config.AddCommand<DataCommand>("data")
                .WithDescription("Show what a dataset holds: format, split sizes, images per class, shape, mean/std.")
                .WithExample("data", "fashion-mnist")
                .WithExample("data", "../shared/data/cifar10-jpg.tar.gz", "--json");
            config.AddBranch("bench", bench =>
            {
                bench.SetDescription("Benchmarks of Dabo itself.");
                bench.AddCommand<BenchAccuracyCommand>("accuracy")
                    .WithDescription("Low-data accuracy benchmark: Fashion-MNIST 1k and CIFAR-10 4k, every baseline, grid search and learned augmentation, mean ± std over seeds.")
                    .WithExample("bench", "accuracy", "--quick")
                    .WithExample("bench", "accuracy", "--protocols", "fashion-mnist");
                bench.AddCommand<BenchSuiteCommand>("suite")
                    .WithDescription("The benchmark suite: every method on 4 datasets × 2 schedules, 1,000 labelled images, paired seeds, the user's protocol and the 800/200 one; regret against the best fixed method of each cell.")
                    .WithExample("bench", "suite", "--quick", "--jobs", "2")
                    .WithExample("bench", "suite", "--plan")
                    .WithExample("bench", "suite", "--jobs", "2", "--out", "runs/suite");
                bench.AddCommand<BenchSpeedCommand>("speed")
                    .WithDescription("Time plain vs bilevel training steps (K=1 exact, K=1 fd, K=2) on synthetic data: ms per step, ratios, images/s, peak RSS, RSS growth over a soak, data-path throughput.")
                    .WithExample("bench", "speed")
                    .WithExample("bench", "speed", "--model", "small-cnn", "--steps", "20", "--soak-steps", "1000")
                    .WithExample("bench", "speed", "--model", "resnet18", "--large-steps", "3", "--soak-steps", "0", "--json")
                    .WithExample("bench", "speed", "--model", "small-cnn", "--soak-steps", "0", "--profile");
                bench.AddCommand<BenchCostCommand>("cost")
                    .WithDescription("Where finished runs' wall time went (summary.json's time_breakdown): steps, augmentation, policy updates, evaluations, checkpoints; each run's time as a multiple of the first's.")
                    .WithExample("bench", "cost", "runs/none", "runs/trivialaugment", "runs/learned-policy");
            });
        });
        try
        {
            Utf8Arguments.Check(args);
            foreach (var warning in FlagRanges.Check(args))
            {
                Console.Error.WriteLine($"dabo: warning: {warning}");
            }
            return app.Run(args);
        }
        catch (Exception e)
        {
            var error = Unwrap(e);
            if (error is IOException or UnauthorizedAccessException && OutputPaths.IsDiskFull(error))
            {
                // A disk that fills during a run: say so, with the path the OS reported.
                error = new DaboException($"no space left on device ({error.Message.Split('\n')[0].Trim()}); free space or choose another --out", error);
            }
            bool userError = error is DaboException or CommandAppException;
            Console.Error.WriteLine(userError
                ? $"dabo: error: {OneLine(error.Message)}"
                : $"dabo: internal error ({error.GetType().Name}): {OneLine(error.Message)}; set DABO_DEBUG=1 for details and please report it");
            if (Environment.GetEnvironmentVariable("DABO_DEBUG") == "1")
            {
                Console.Error.WriteLine(error.ToString());
            }
            return userError ? UsageError : 1;
        }
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerException: not null } or TypeInitializationException { InnerException: not null }
               && e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
