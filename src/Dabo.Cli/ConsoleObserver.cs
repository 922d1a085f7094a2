using System.Globalization;
using Dabo.Training;
using Spectre.Console;

namespace Dabo.Cli;

/// <summary>
/// Shows a run's progress: a live progress bar (loss, accuracy, ETA) on a terminal, one plain
/// line per epoch when output is redirected, nothing but warnings with <c>--quiet</c>.
/// </summary>
public sealed class ConsoleObserver : ITrainingObserver
{
    private readonly bool _quiet;
    private ProgressTask? _task;
    private int _stepsPerEpoch;
    private int _epochsSeen;

    /// <summary>Creates the observer.</summary>
    public ConsoleObserver(bool quiet) => _quiet = quiet;

    /// <summary>Whether a live progress display is possible.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> inside a live progress display when interactive.</summary>
    public T Run<T>(string title, Func<T> work)
    {
        if (_quiet || !Interactive)
        {
            return work();
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                _task = ctx.AddTask(Markup.Escape(title), autoStart: true, maxValue: 1);
                result = work();
            });
        return result;
    }

    /// <inheritdoc />
    public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs)
    {
        _stepsPerEpoch = stepsPerEpoch;
        if (_task is not null)
        {
            _task.MaxValue = (double)config.Epochs * stepsPerEpoch;
            _task.Value = (double)completedEpochs * stepsPerEpoch;
        }
        if (!_quiet)
        {
            string resumed = completedEpochs > 0 ? $", resuming after epoch {completedEpochs}" : "";
            string all = config.TrainSize is null ? " (every image)" : "";
            string init = config.Init is null ? "" : $", from {config.Init}{(config.FreezeEpochs > 0 ? $" (head only for {config.FreezeEpochs} epochs)" : "")}";
            long steps = (long)config.Epochs * stepsPerEpoch;
            Line(FormattableString.Invariant($"{config.Model} on {config.Dataset}: {trainImages} train{all} / {valImages} val / {testImages} test images, augment {config.Augment}, {config.Epochs} epochs × {stepsPerEpoch} steps = {steps:N0} SGD steps (batch {config.BatchSize}){init}{resumed}"));
        }
    }

    /// <inheritdoc />
    public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr)
    {
        if (_task is not null)
        {
            _task.Increment(1);
            _task.Description = Markup.Escape($"epoch {epoch} step {step}/{stepsPerEpoch} loss {loss:F3} lr {lr:G3}");
        }
    }

    /// <inheritdoc />
    public void EpochCompleted(EpochMetrics m, TrainingConfig config)
    {
        if (_quiet)
        {
            return;
        }
        string F(double? v) => v is double d ? d.ToString("F4", CultureInfo.InvariantCulture) : "-";
        string learned = m.Augmenter is { Count: > 0 } stats
            ? " | " + string.Join(" ", stats.Select(s => $"{s.Name} {s.Mean.ToString("F3", CultureInfo.InvariantCulture)}±{s.Std.ToString("F3", CultureInfo.InvariantCulture)}"))
            : "";
        Line($"epoch {m.Epoch}/{config.Epochs}  loss {F(m.TrainLoss)}  train-acc {F(m.TrainAccuracy)}  val-acc {F(m.ValAccuracy)}  test-acc {F(m.TestAccuracy)}  {m.Seconds:F1}s{learned}");
        // The first epoch of a process includes warm-up (allocation, caches); the second is the honest estimate.
        if (++_epochsSeen == 2 && m.Epoch < config.Epochs)
        {
            Line($"time per epoch {m.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s: about {Duration(m.Seconds * (config.Epochs - m.Epoch))} for the remaining {config.Epochs - m.Epoch} epoch{(config.Epochs - m.Epoch == 1 ? "" : "s")}");
        }
    }

    private static string Duration(double seconds) => seconds switch
    {
        < 90 => $"{seconds.ToString("F0", CultureInfo.InvariantCulture)} s",
        < 5400 => $"{(seconds / 60).ToString("F0", CultureInfo.InvariantCulture)} min",
        _ => $"{(seconds / 3600).ToString("F1", CultureInfo.InvariantCulture)} h",
    };

    /// <inheritdoc />
    public void Warning(string message) => Console.Error.WriteLine($"dabo: warning: {message}");

    private void Line(string text)
    {
        if (_task is not null)
        {
            AnsiConsole.MarkupLine(Markup.Escape(text));
        }
        else
        {
            Console.WriteLine(text);
        }
    }
}
