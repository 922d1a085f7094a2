using Dabo.Data;

namespace Dabo.Tests.Data;

public class ImageFolderReaderTests
{
    public ImageFolderReaderTests() => TorchRuntime.Initialize();

    private static void AssertFolder(Dataset ds, int channels = 3)
    {
        Assert.Equal(DatasetFormat.ImageFolder, ds.Format);
        Assert.Equal(12, ds.Train.Count);
        Assert.Equal(6, ds.Test.Count);
        Assert.Equal(["class0", "class1", "class2"], ds.ClassNames);
        Assert.Equal([channels, 8, 8], ds.Shape);
        Assert.Equal([4, 4, 4], ds.Train.CountsPerClass(3));
        Assert.Equal([2, 2, 2], ds.Test.CountsPerClass(3));
        // Images are read in name order: train/class1/001.png is the 8th image written (index 7).
        int row = Array.FindIndex(ds.Train.LabelArray, l => l == 1) + 1;
        Assert.Equal(TestFiles.Pixel(7, channels - 1, 6, 2), ds.Train.Images[row, channels - 1, 6, 2].item<byte>());
    }

    [Fact]
    public void Reads_a_directory()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), TestFiles.ImageFolderFiles());
        using var ds = DatasetLoader.Load(dir.Combine("data"), dir.Combine("cache"));
        AssertFolder(ds);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_an_archive_with_a_top_folder(bool gzip)
    {
        using var dir = new TempDirectory();
        var archive = dir.Combine(gzip ? "images.tar.gz" : "images.tar");
        TestFiles.WriteTar(archive, TestFiles.ImageFolderFiles(prefix: "mydata/"), gzip);
        Assert.Equal(DatasetFormat.ImageFolder, DatasetLoader.Detect(archive));
        using var ds = DatasetLoader.Load(archive, dir.Combine("cache"));
        AssertFolder(ds);
    }

    [Fact]
    public void Grayscale_images_stay_single_channel()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), TestFiles.ImageFolderFiles(channels: 1));
        using var ds = DatasetLoader.Load(dir.Combine("data"), dir.Combine("cache"));
        AssertFolder(ds, channels: 1);
    }

    [Fact]
    public void Undecodable_image_is_named_and_no_cache_is_left()
    {
        using var dir = new TempDirectory();
        var files = TestFiles.ImageFolderFiles();
        files["train/class1/002.png"] = [0x89, 0x50, 0x4e, 0x47, 1, 2, 3];
        var archive = dir.Combine("bad.tar.gz");
        TestFiles.WriteTar(archive, files, gzip: true);

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(archive, dir.Combine("cache")));
        Assert.Contains("train/class1/002.png", e.Message);
        Assert.Contains(archive, e.Message);
        Assert.False(Directory.Exists(dir.Combine("cache")) && Directory.EnumerateFiles(dir.Combine("cache")).Any());
    }

    [Fact]
    public void Images_of_different_sizes_are_an_error()
    {
        using var dir = new TempDirectory();
        var files = TestFiles.ImageFolderFiles();
        files["test/class2/001.png"] = TestFiles.Png(99, 3, h: 9, w: 8);
        TestFiles.WriteFiles(dir.Combine("data"), files);

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Combine("data"), dir.Combine("cache")));
        Assert.Contains("test/class2/001.png", e.Message);
        Assert.Contains("one size", e.Message);
    }

    [Fact]
    public void Empty_class_folder_is_an_error()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), TestFiles.ImageFolderFiles());
        Directory.CreateDirectory(dir.Combine("data", "train", "class9"));

        var e = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Combine("data"), dir.Combine("cache")));
        Assert.Contains("class9", e.Message);
        Assert.Contains("empty class folder", e.Message);
    }

    [Fact]
    public void Cache_is_used_then_invalidated_when_the_source_changes()
    {
        using var dir = new TempDirectory();
        var archive = dir.Combine("images.tar.gz");
        var cache = dir.Combine("cache");
        TestFiles.WriteTar(archive, TestFiles.ImageFolderFiles(), gzip: true);

        using (var first = DatasetLoader.Load(archive, cache))
        {
            AssertFolder(first);
        }
        var cacheFile = DecodedCache.PathFor(cache, archive);
        Assert.True(File.Exists(cacheFile));
        var written = File.GetLastWriteTimeUtc(cacheFile);

        using (var second = DatasetLoader.Load(archive, cache))
        {
            AssertFolder(second);
        }
        Assert.Equal(written, File.GetLastWriteTimeUtc(cacheFile)); // read, not rewritten

        // A changed source (one more training image) must not be served from the stale cache.
        var files = TestFiles.ImageFolderFiles();
        files["train/class0/999.png"] = TestFiles.Png(500);
        TestFiles.WriteTar(archive, files, gzip: true);
        File.SetLastWriteTimeUtc(archive, DateTime.UtcNow.AddMinutes(1));
        using var third = DatasetLoader.Load(archive, cache);
        Assert.Equal(13, third.Train.Count);
        Assert.Empty(Directory.GetFiles(cache, "*.tmp"));
    }

    [Fact]
    public void Missing_path_and_unknown_format_are_clear_errors()
    {
        using var dir = new TempDirectory();
        var missing = dir.Combine("nope");
        var e1 = Assert.Throws<DaboException>(() => DatasetLoader.Load(missing));
        Assert.Contains(missing, e1.Message);

        File.WriteAllText(dir.Combine("notes.txt"), "hello");
        var e2 = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Path));
        Assert.Contains("unknown dataset format", e2.Message);

        var e3 = Assert.Throws<DaboException>(() => DatasetLoader.Load(dir.Combine("notes.txt")));
        Assert.Contains("notes.txt", e3.Message);
    }
}
