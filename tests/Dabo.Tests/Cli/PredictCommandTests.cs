using System.Globalization;
using Dabo.Experiments;

namespace Dabo.Tests.Cli;

/// <summary><c>dabo predict</c> and <see cref="TrainedClassifier"/> on a CLI run directory.</summary>
[Collection("global-rng")]
public class PredictCommandTests
{
    private static string TrainRun(TempDirectory dir)
    {
        TestFiles.WriteFiles(dir.Combine("parts"), TestFiles.ImageFolderFiles(classes: 3, perClass: 10, testPerClass: 2));
        var (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("parts"), "--epochs", "1", "--batch-size", "8",
            "--cache-dir", dir.Combine("cache"), "--threads", "1", "--out", dir.Combine("run"), "--quiet");
        Assert.True(code == 0, err);
        return dir.Combine("run");
    }

    [Fact]
    public void Predicts_a_folder_as_csv_with_probabilities_summing_to_one()
    {
        using var dir = new TempDirectory();
        string run = TrainRun(dir);
        // Another size than training (16×16 against 8×8): resized as --image-size would.
        File.WriteAllBytes(dir.Combine("parts", "test", "class0", "big.png"), TestFiles.Png(99, 3, 16, 16));

        var (code, output, err) = CliRunner.Run("predict", "--run", run, dir.Combine("parts", "test"), "--threads", "1");

        Assert.True(code == 0, err);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("path,predicted,class0,class1,class2", lines[0]);
        Assert.Equal(7, lines.Length - 1);
        foreach (var line in lines[1..])
        {
            var fields = line.Split(',');
            var p = fields[2..].Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, p.Sum(), 4);
            Assert.Equal($"class{Array.IndexOf(p, p.Max())}", fields[1]);
            Assert.StartsWith(dir.Combine("parts", "test"), fields[0]);
        }
        Assert.Equal(lines[1..].Select(l => l.Split(',')[0]).Order(StringComparer.Ordinal), lines[1..].Select(l => l.Split(',')[0]));
    }

    [Fact]
    public void Writes_the_csv_to_out_and_names_bad_files_in_one_line()
    {
        using var dir = new TempDirectory();
        string run = TrainRun(dir);
        string image = dir.Combine("parts", "test", "class1", "000.png");
        var (code, _, err) = CliRunner.Run("predict", "--run", run, image, "--out", dir.Combine("out", "p.csv"));
        Assert.True(code == 0, err);
        Assert.Equal(2, File.ReadAllLines(dir.Combine("out", "p.csv")).Length);

        File.WriteAllText(dir.Combine("notes.png"), "not an image");
        (code, _, err) = CliRunner.Run("predict", "--run", run, image, dir.Combine("notes.png"), "--out", dir.Combine("bad.csv"));
        Assert.Equal(2, code);
        Assert.Contains("1 file(s) cannot be read as images: " + dir.Combine("notes.png"), err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(dir.Combine("bad.csv")));

        (code, _, err) = CliRunner.Run("predict", "--run", run, dir.Combine("missing"));
        Assert.Equal(2, code);
        Assert.Contains(dir.Combine("missing") + ": no such file or folder", err);
    }

    [Fact]
    public void TrainedClassifier_loads_a_cli_run_and_predicts_files_like_tensors()
    {
        using var dir = new TempDirectory();
        string run = TrainRun(dir);
        var files = Enumerable.Range(0, 2).Select(k => dir.Combine("parts", "test", "class2", $"{k:D3}.png")).ToArray();

        using var classifier = TrainedClassifier.Load(run);
        var predictions = classifier.Predict(files);
        using var images = Dabo.Data.ImageFiles.Read(files, 3, 8, 8);
        using var probabilities = classifier.Probabilities(images);
        var expected = probabilities.to_type(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(["class0", "class1", "class2"], classifier.ClassNames);
        Assert.Equal([3, 8, 8], classifier.ImageShape);
        for (int i = 0; i < files.Length; i++)
        {
            Assert.Equal(files[i], predictions[i].Path);
            Assert.Equal(expected[(i * 3)..((i + 1) * 3)], predictions[i].Probabilities);
        }

        // A run written before data.json: the normalization is recomputed from its dataset, the same.
        File.Delete(Path.Combine(run, "data.json"));
        using var again = TrainedClassifier.LoadRun(run, cacheDirectory: dir.Combine("cache"));
        Assert.Equal(classifier.Mean, again.Mean);
        Assert.Equal(classifier.Std, again.Std);
        Assert.True(File.Exists(Path.Combine(run, "data.json")));
    }

    [Fact]
    public void Csv_quotes_fields_that_need_it()
    {
        var csv = PredictionCsv.Format(["a,b", "c"], [new ImagePrediction("x \"1\".png", 0, "a,b", [0.25, 0.75])]);
        Assert.Equal("path,predicted,\"a,b\",c\n\"x \"\"1\"\".png\",\"a,b\",0.250000,0.750000\n", csv);
    }
}
