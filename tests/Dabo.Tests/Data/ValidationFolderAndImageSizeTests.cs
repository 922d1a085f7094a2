using Dabo.Data;
using Dabo.Training;
using TorchSharp;

namespace Dabo.Tests.Data;

/// <summary>An image folder's own <c>val/</c> split, and <c>--image-size</c> (resize at decode, cached per size).</summary>
[Collection("global-rng")]
public class ValidationFolderAndImageSizeTests
{
    public ValidationFolderAndImageSizeTests() => TorchRuntime.Initialize();

    private sealed class Recorder : ITrainingObserver
    {
        public List<string> Warnings { get; } = [];

        public (int Train, int Val, int Test) Sizes { get; private set; }

        public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs) =>
            Sizes = (trainImages, valImages, testImages);

        public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr) { }

        public void EpochCompleted(EpochMetrics metrics, TrainingConfig config) { }

        public void Warning(string message) => Warnings.Add(message);
    }

    private static TrainingConfig Config(string data) => new()
    {
        Dataset = data,
        Model = "small-cnn",
        TrainSize = null,
        ValRatio = 0.5,
        Epochs = 1,
        BatchSize = 4,
        Seed = 1,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Val_folder_is_read_as_a_third_split_and_cached_with_it(bool archive)
    {
        using var dir = new TempDirectory();
        var files = TestFiles.ImageFolderFiles(valPerClass: 2);
        string data = dir.Combine(archive ? "images.tar.gz" : "data");
        if (archive)
        {
            TestFiles.WriteTar(data, files, gzip: true);
        }
        else
        {
            TestFiles.WriteFiles(data, files);
        }
        for (int load = 0; load < 2; load++) // decoded, then from the decoded cache
        {
            using var ds = DatasetLoader.Load(data, dir.Combine("cache"));
            Assert.Equal(12, ds.Train.Count);
            Assert.NotNull(ds.Validation);
            Assert.Equal(6, ds.Validation.Count);
            Assert.Equal(6, ds.Test.Count);
            Assert.Equal([2, 2, 2], ds.Validation.CountsPerClass(3));
            Assert.Equal([3, 8, 8], ds.Validation.Shape);
            // val/class0/000.png is the 19th image written (index 18).
            Assert.Equal(TestFiles.Pixel(18, 1, 3, 4), ds.Validation.Images[0, 1, 3, 4].item<byte>());
        }
        Assert.Single(Directory.GetFiles(dir.Combine("cache"), "*.dabocache"));
    }

    [Fact]
    public void Folder_without_val_has_no_validation_split()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), TestFiles.ImageFolderFiles());
        using var ds = DatasetLoader.Load(dir.Combine("data"), dir.Combine("cache"));
        Assert.Null(ds.Validation);
    }

    [Fact]
    public void Val_class_without_training_images_is_named()
    {
        using var dir = new TempDirectory();
        var files = TestFiles.ImageFolderFiles(valPerClass: 1);
        files["val/class7/000.png"] = TestFiles.Png(77);
        TestFiles.WriteFiles(dir.Combine("data"), files);
        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Combine("data"), dir.Combine("cache")));
        Assert.Contains("class7", e.Message);
        Assert.Contains("val images", e.Message);
    }

    [Fact]
    public void Trainer_validates_on_val_ignores_val_ratio_and_says_so()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), TestFiles.ImageFolderFiles(perClass: 6, valPerClass: 3));
        var observer = new Recorder();
        var summary = new Trainer(Config(dir.Combine("data")), dir.Combine("run"), observer) { CacheDirectory = dir.Combine("cache") }.Run();

        Assert.Equal((18, 9, 6), observer.Sizes); // all 18 training images train (--val-ratio 0.5 would hold out 9)
        Assert.Equal(18, summary.TrainImages);
        Assert.Equal(9, summary.ValImages);
        var warning = Assert.Single(observer.Warnings);
        Assert.Contains("val/", warning);
        Assert.Contains("--val-ratio is ignored", warning);
        Assert.DoesNotContain('\n', warning);
    }

    [Fact]
    public void Train_size_subsamples_train_only_and_train_on_validation_adds_val()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), TestFiles.ImageFolderFiles(perClass: 6, valPerClass: 3));
        using var ds = DatasetLoader.Load(dir.Combine("data"), dir.Combine("cache"));

        using (var data = PreparedData.Create(ds, trainSize: 9, valRatio: 0.5, trainOnValidation: false, dataSeed: 0))
        {
            Assert.True(data.ValidationFromDataset);
            Assert.Equal(9, data.Train.Count);
            Assert.Equal([3, 3, 3], data.Train.CountsPerClass(3));
            Assert.Equal(9, data.Validation.Count);
            Assert.Equal(ds.Validation!.Images.data<byte>().ToArray(), data.Validation.Images.data<byte>().ToArray());
        }
        using (var data = PreparedData.Create(ds, trainSize: 9, valRatio: 0.5, trainOnValidation: true, dataSeed: 0))
        {
            Assert.Equal(18, data.Train.Count);
            Assert.Equal(9, data.Validation.Count);
        }
        // The dataset's own split survives the prepared data (which disposed its copy).
        Assert.Equal(9, ds.Validation!.Count);
    }

    private static Dictionary<string, byte[]> MixedSizes()
    {
        var files = TestFiles.ImageFolderFiles(valPerClass: 1);
        files["train/class1/001.png"] = TestFiles.Png(99, 3, h: 20, w: 12);
        files["val/class2/000.png"] = TestFiles.Png(98, 3, h: 5, w: 7);
        return files;
    }

    [Fact]
    public void Mixed_sizes_are_refused_with_a_hint_to_image_size_and_load_with_it()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), MixedSizes());

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Combine("data"), dir.Combine("cache")));
        Assert.Contains("--image-size", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        using var ds = DatasetLoader.Load(dir.Combine("data"), dir.Combine("cache"), imageSize: 16);
        Assert.Equal([3, 16, 16], ds.Shape);
        Assert.Equal([3, 16, 16], ds.Validation!.Shape);
        Assert.Equal([3, 16, 16], ds.Test.Shape);
        Assert.Equal(12, ds.Train.Count);
    }

    [Fact]
    public void Mixed_sizes_train_with_image_size()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), MixedSizes());
        var observer = new Recorder();
        var config = Config(dir.Combine("data")) with { ImageSize = 16 };
        var summary = new Trainer(config, dir.Combine("run"), observer) { CacheDirectory = dir.Combine("cache") }.Run();
        Assert.Equal(12, summary.TrainImages);
        Assert.Equal(3, summary.ValImages);
        Assert.Equal(16, TrainingConfig.FromJson(File.ReadAllText(dir.Combine("run", "config.json")), "config.json").ImageSize);
    }

    [Fact]
    public void Decoded_cache_distinguishes_image_sizes()
    {
        using var dir = new TempDirectory();
        string archive = dir.Combine("images.tar.gz");
        string cache = dir.Combine("cache");
        TestFiles.WriteTar(archive, TestFiles.ImageFolderFiles(), gzip: true);

        using (var first = DatasetLoader.Load(archive, cache, imageSize: 16))
        {
            Assert.Equal([3, 16, 16], first.Shape);
        }
        string file16 = DecodedCache.PathFor(cache, archive, 16);
        Assert.True(File.Exists(file16));
        var written = File.GetLastWriteTimeUtc(file16);

        using (var second = DatasetLoader.Load(archive, cache, imageSize: 12))
        {
            Assert.Equal([3, 12, 12], second.Shape);
        }
        using (var original = DatasetLoader.Load(archive, cache))
        {
            Assert.Equal([3, 8, 8], original.Shape);
        }
        Assert.Equal(3, Directory.GetFiles(cache, "*.dabocache").Length);
        using (var again = DatasetLoader.Load(archive, cache, imageSize: 16))
        {
            Assert.Equal([3, 16, 16], again.Shape);
        }
        Assert.Equal(written, File.GetLastWriteTimeUtc(file16)); // read from its own cache, not rewritten

        // A cache file decoded at one size is never taken for another, even under its name.
        File.Copy(file16, DecodedCache.PathFor(cache, archive, 12), overwrite: true);
        using var twelve = DatasetLoader.Load(archive, cache, imageSize: 12);
        Assert.Equal([3, 12, 12], twelve.Shape);
    }

    [Fact]
    public void Resize_is_torchvision_bilinear_antialiased()
    {
        using var image = torch.arange(0, 64, dtype: torch.ScalarType.Int32).mul(4).reshape(1, 8, 8).to_type(torch.ScalarType.Byte);
        using var resized = ImageResize.Square(image, 4);
        Assert.Equal([1L, 4, 4], resized.shape);
        Assert.Equal(torch.ScalarType.Byte, resized.dtype);
        // Halving with antialiasing is a triangle filter over 3 source pixels per axis (weights
        // 3/7, 3/7, 1/7 at the border): (0·3 + 4·3 + 8)/7 + (32·3 + 64)/7 = 25.7. Nearest gives 0 and
        // bilinear without antialiasing 18 (the mean of the top-left 2×2 block).
        Assert.InRange(resized[0, 0, 0].item<byte>(), 25, 27);
    }

    [Fact]
    public void Other_formats_are_resized_after_reading()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteIdx(dir.Path, h: 8, w: 6);
        using var ds = DatasetLoader.Load(dir.Path, dir.Combine("cache"), imageSize: 10);
        Assert.Equal([1, 10, 10], ds.Shape);
        Assert.Equal([1, 10, 10], ds.Test.Shape);
        Assert.Equal(40, ds.Train.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public void Image_size_below_one_is_refused_naming_the_flag(int size)
    {
        var e = Assert.Throws<DaboException>(() => (new TrainingConfig { ImageSize = size }).Validate());
        Assert.Contains($"--image-size {size}", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
