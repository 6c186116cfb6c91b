using System.Globalization;

namespace Inosync.Migration;

/// <summary>Renders values for comments (TOML-like, one line, so a comment stays a comment).</summary>
internal static class PyValueText
{
    public static string Render(PyValue value) => value switch
    {
        PyString s => TomlText.Quote(s.Value),
        PyInteger i => i.Value.ToString(CultureInfo.InvariantCulture),
        PyFloat f => TomlText.Float(f.Value),
        PyBool b => b.Value ? "True" : "False",
        PyList l => "[" + string.Join(", ", l.Items.Select(Render)) + "]",
        _ => "None",
    };
}
