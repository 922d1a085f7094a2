using Dabo.IO;
using Dabo.Models;

namespace Dabo.Training.Runs;

/// <summary><c>model.bin</c> and <c>best_model.bin</c>: a classifier's weights in a checksummed file.</summary>
public static class ClassifierFile
{
    private const string Magic = "DABO-MODEL-v1";

    /// <summary>Writes the weights of <paramref name="model"/> to <paramref name="path"/> (atomic, checksummed).</summary>
    public static void Save(TorchSharp.torch.nn.Module model, string path) => ChecksummedFile.Write(path, w =>
    {
        w.Write(Magic);
        model.save(w);
    });

    /// <summary>Loads weights written by <see cref="Save"/> into <paramref name="model"/>; a damaged file is a <see cref="DaboException"/> ending with <paramref name="remedy"/>.</summary>
    public static void Load(TorchSharp.torch.nn.Module model, string path, string remedy) => ChecksummedFile.Read(path, "model", remedy, r =>
    {
        if (r.ReadString() != Magic)
        {
            throw new DaboException($"{path}: not a Dabo model file (another Dabo file renamed?); {remedy}");
        }
        model.load(r);
        return true;
    });
}
