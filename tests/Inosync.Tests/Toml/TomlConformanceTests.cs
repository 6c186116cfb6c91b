using Inosync.Tests.Toml.Support;
using Inosync.Toml;
using Xunit.Abstractions;

namespace Inosync.Tests.Toml;

/// <summary>The official toml-test TOML 1.1.0 vectors (kept in this repository): each one as its own case, plus a count of the whole suite.</summary>
public sealed class TomlConformanceTests(ITestOutputHelper output)
{
    private const int ExpectedValid = 220;
    private const int ExpectedInvalid = 492;

    public static TheoryData<string> ValidCases => new(TomlTestSuite.ValidNames);

    public static TheoryData<string> InvalidCases => new(TomlTestSuite.InvalidNames);

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_vector_decodes_to_the_expected_tagged_json(string name)
    {
        string? failure = CheckValid(name);

        Assert.True(failure is null, failure);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_vector_is_rejected_with_a_TomlException(string name)
    {
        string? failure = CheckInvalid(name);

        Assert.True(failure is null, failure);
    }

    [Fact]
    public void Whole_suite_passes_220_valid_and_rejects_492_invalid()
    {
        IReadOnlyList<string> valid = TomlTestSuite.ValidNames;
        IReadOnlyList<string> invalid = TomlTestSuite.InvalidNames;
        var failures = valid.Select(CheckValid).Concat(invalid.Select(CheckInvalid)).OfType<string>().ToList();
        int validPassed = valid.Count(name => CheckValid(name) is null);
        int invalidRejected = invalid.Count(name => CheckInvalid(name) is null);

        output.WriteLine($"toml-test at {TomlTestSuite.Directory}");
        output.WriteLine($"valid:   {validPassed}/{valid.Count} decoded as expected");
        output.WriteLine($"invalid: {invalidRejected}/{invalid.Count} rejected with a TomlException");
        foreach (string failure in failures)
        {
            output.WriteLine(failure);
        }

        valid.Should().Equal(TomlTestSuite.ListedNames("valid"), "the folder holds exactly upstream's TOML 1.1.0 list");
        invalid.Should().Equal(TomlTestSuite.ListedNames("invalid"), "the folder holds exactly upstream's TOML 1.1.0 list");
        valid.Should().HaveCount(ExpectedValid, "the README lists 220 valid vectors");
        invalid.Should().HaveCount(ExpectedInvalid, "the README lists 492 invalid vectors");
        validPassed.Should().Be(ExpectedValid);
        invalidRejected.Should().Be(ExpectedInvalid);
    }

    private static string? CheckValid(string name)
    {
        TomlTable document;
        try
        {
            document = TomlReader.Parse(TomlTestSuite.ReadToml(name), name + ".toml");
        }
        catch (Exception e)
        {
            return $"{name}: rejected a valid document: {e.GetType().Name}: {e.Message}";
        }

        IReadOnlyList<string> differences = TaggedJson.Diff(document, TomlTestSuite.ReadJson(name));
        return differences.Count == 0 ? null : $"{name}: decoded differently:\n  " + string.Join("\n  ", differences);
    }

    private static string? CheckInvalid(string name)
    {
        try
        {
            TomlReader.Parse(TomlTestSuite.ReadToml(name), name + ".toml");
            return $"{name}: accepted an invalid document";
        }
        catch (TomlException)
        {
            return null;
        }
        catch (Exception e)
        {
            // A crash on bad input is a bug even though the input is rejected.
            return $"{name}: crashed instead of reporting a TomlException: {e}";
        }
    }
}
