namespace Dabo.Data;

/// <summary>
/// Loads a dataset from a path whose format is detected from its content, or from a known name
/// (<c>fashion-mnist</c>). Image folders are decoded once and then read from a decoded cache.
/// </summary>
public static class DatasetLoader
{
    /// <summary>Where the <c>fashion-mnist</c> name resolves (Debian's <c>dataset-fashion-mnist</c>).</summary>
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The name of the built-in dataset (<see cref="FashionMnistDirectory"/>).</summary>
    public const string FashionMnistName = "fashion-mnist";

    /// <summary>Resolves a dataset name to a path; other strings are returned unchanged.</summary>
    public static string Resolve(string pathOrName) => pathOrName switch
    {
        FashionMnistName => FashionMnistDirectory,
        _ => pathOrName,
    };

    /// <summary>Detects the format of a directory or archive from what it contains.</summary>
    public static DatasetFormat Detect(string pathOrName)
    {
        try
        {
            return DetectCore(pathOrName);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Unreadable(Resolve(pathOrName), e);
        }
    }

    private static DatasetFormat DetectCore(string pathOrName)
    {
        string path = Resolve(pathOrName);
        if (Directory.Exists(path))
        {
            if (IdxReader.IsIdxDirectory(path))
            {
                return DatasetFormat.Idx;
            }
            var names = SourceFiles.ListNames(path);
            if (CifarBinaryReader.Recognizes(names))
            {
                return DatasetFormat.CifarBinary;
            }
            if (ImageFolderReader.Recognizes(names))
            {
                return DatasetFormat.ImageFolder;
            }
            throw new DaboException($"{path}: unknown dataset format; expected IDX files (train-images-idx3-ubyte…), CIFAR binary batches (data_batch_1.bin… or train.bin/test.bin) or image folders train/<class>/*, optional val/<class>/*, and test/<class>/*");
        }
        if (File.Exists(path))
        {
            if (!SourceFiles.IsArchive(path))
            {
                throw new DaboException($"{path}: not a dataset directory or a .tar/.tar.gz archive; pass the directory that holds the dataset's files");
            }
            var names = SourceFiles.ListNames(path);
            if (CifarBinaryReader.Recognizes(names))
            {
                return DatasetFormat.CifarBinary;
            }
            if (ImageFolderReader.Recognizes(names))
            {
                return DatasetFormat.ImageFolder;
            }
            throw new DaboException($"{path}: archive holds neither CIFAR binary batches nor train/<class>/* image folders; check its layout (tar -tzf)");
        }
        if (pathOrName == FashionMnistName)
        {
            throw new DaboException($"fashion-mnist: not found at {FashionMnistDirectory}; install it with 'apt-get install dataset-fashion-mnist' (scripts/setup.sh does) or pass --dataset PATH");
        }
        throw new DaboException($"{path}: no such file or directory; pass --dataset with an existing path or 'fashion-mnist'");
    }

    /// <summary>Loads a dataset.</summary>
    /// <param name="pathOrName">A directory, an archive, or <c>fashion-mnist</c>.</param>
    /// <param name="cacheDirectory">Where decoded image folders are cached; null for <see cref="DecodedCache.DefaultDirectory"/>.</param>
    /// <param name="imageSize">
    /// Resize every image to this height and width (image folders at decode, before caching; other
    /// formats after reading); null keeps the stored size.
    /// </param>
    /// <param name="maxImagePixels">Pixel limit per image of an image folder, checked from headers before decoding (null: <see cref="ImageCodec.DefaultMaxPixels"/>).</param>
    public static Dataset Load(string pathOrName, string? cacheDirectory = null, int? imageSize = null, long? maxImagePixels = null)
    {
        if (imageSize is < 1)
        {
            throw new DaboException($"--image-size {imageSize}: must be a positive number of pixels, e.g. 32");
        }
        try
        {
            return LoadCore(pathOrName, cacheDirectory, imageSize, maxImagePixels);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Unreadable(Resolve(pathOrName), e);
        }
    }

    // The file the operating system refused (quoted in .NET's message), or the dataset path.
    private static DaboException Unreadable(string path, UnauthorizedAccessException e)
    {
        int start = e.Message.IndexOf('\'', StringComparison.Ordinal);
        int end = start >= 0 ? e.Message.IndexOf('\'', start + 1) : -1;
        string file = end > start + 1 ? e.Message[(start + 1)..end] : path;
        return new DaboException($"{file}: permission denied reading the dataset; make it readable (e.g. chmod a+r) or run as a user who may read it", e);
    }

    private static Dataset LoadCore(string pathOrName, string? cacheDirectory, int? imageSize, long? maxImagePixels)
    {
        string path = Resolve(pathOrName);
        cacheDirectory ??= DecodedCache.DefaultDirectory();
        if (File.Exists(path) && SourceFiles.IsArchive(path))
        {
            // A valid decoded cache makes even format detection (a pass over the archive) unnecessary.
            var cached = DecodedCache.TryLoad(DecodedCache.PathFor(cacheDirectory, path, imageSize), path,
                DecodedCache.FingerprintFor(SourceFiles.Fingerprint(path), imageSize), DatasetFormat.ImageFolder);
            if (cached is not null)
            {
                return cached;
            }
        }
        var format = DetectCore(pathOrName);
        return format switch
        {
            DatasetFormat.Idx => Resized(IdxReader.Load(path), imageSize),
            DatasetFormat.CifarBinary => Resized(CifarBinaryReader.Load(path), imageSize),
            DatasetFormat.ImageFolder => LoadImageFolderCached(path, cacheDirectory, imageSize, maxImagePixels),
            _ => throw new DaboException($"{path}: unsupported format {format}"),
        };
    }

    // Formats stored at one size are resized after reading (they are not cached).
    private static Dataset Resized(Dataset dataset, int? imageSize)
    {
        if (imageSize is not int size || dataset.Shape[1..].All(d => d == size))
        {
            return dataset;
        }
        using (dataset)
        {
            return new Dataset(dataset.Format, dataset.Source, ImageResize.Square(dataset.Train, size), ImageResize.Square(dataset.Test, size),
                dataset.ClassNames, dataset.Validation is null ? null : ImageResize.Square(dataset.Validation, size));
        }
    }

    private static Dataset LoadImageFolderCached(string path, string cacheDirectory, int? imageSize, long? maxImagePixels)
    {
        string fingerprint = DecodedCache.FingerprintFor(SourceFiles.Fingerprint(path), imageSize);
        string cacheFile = DecodedCache.PathFor(cacheDirectory, path, imageSize);
        var cached = DecodedCache.TryLoad(cacheFile, path, fingerprint, DatasetFormat.ImageFolder);
        if (cached is not null)
        {
            return cached;
        }
        var dataset = ImageFolderReader.Load(path, imageSize, maxImagePixels);
        try
        {
            DecodedCache.Save(cacheFile, fingerprint, dataset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unwritable cache directory only costs speed on the next load.
        }
        return dataset;
    }
}
